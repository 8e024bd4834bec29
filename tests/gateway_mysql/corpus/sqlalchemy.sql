-- SQLAlchemy's mysql dialect (pymysql and mysqlconnector drivers), recorded from MariaDB's
-- general log while running Inspector.get_* , MetaData.reflect and pandas.read_sql_table.

-- name: connect sql_mode
-- expect: ignore @@sql_mode: each server's configured mode
SELECT @@sql_mode;

-- name: connect lower_case_table_names
SELECT @@lower_case_table_names;

-- name: connect database
SELECT DATABASE();

-- name: connect version
SELECT VERSION();

-- name: set names
SET NAMES utf8mb4;

-- name: set names collate
SET NAMES 'utf8mb4' COLLATE 'utf8mb4_general_ci';

-- name: isolation level
-- expect: mysql8: MariaDB 10.11 has only tx_isolation; the gateway answers as MySQL 8
SELECT @@transaction_isolation;

-- name: isolation level (tx_)
SELECT @@tx_isolation;

-- name: autocommit off
SET AUTOCOMMIT = 0;

-- name: autocommit on
SET AUTOCOMMIT = 1;

-- name: read only transaction
SET SESSION TRANSACTION READ ONLY;

-- name: rollback
ROLLBACK;

-- name: ping
SELECT 1;

-- name: get_schema_names
-- expect: subset: MariaDB also lists its system schemas (mysql, performance_schema, sys) and the machine's test database
SHOW schemas;

-- name: get_table_names
SHOW FULL TABLES FROM `{database}`;

-- name: get_columns via show create table
-- expect: ignore Create Table: MariaDB writes ENGINE=InnoDB and DEFAULT NULL differently; the parsed columns are compared in test_sqlalchemy
SHOW CREATE TABLE `orders`;

-- name: has_table describe
DESCRIBE `{database}`.`orders`;

-- name: has_table describe secrets
DESCRIBE `{database}`.`secrets`;

-- name: has_table information_schema
SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{database}' AND table_name = 'orders';

-- name: get_table_comment via information_schema
SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{database}' AND TABLE_NAME = 'orders';

-- name: get_view_names
SHOW FULL TABLES FROM `{database}` WHERE Table_type = 'VIEW';

-- name: get_sequence_names
SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_TYPE='SEQUENCE' and TABLE_SCHEMA='{database}';

-- name: get_check_constraints
SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '{database}';
