-- DBeaver's MySQL/MariaDB plugin: connect, server info panels, navigator (schemas, tables,
-- columns, keys, indexes, procedures, triggers), session manager.

-- name: connect autocommit
SET autocommit=1;

-- name: connect database
SELECT DATABASE();

-- name: engines
-- expect: ignore Comment, Transactions, XA, Savepoints: the gateway's one engine is its own
-- expect: gap: the gateway lists its one engine, MetricSQL (as TABLES.ENGINE and SHOW CREATE TABLE say), which MariaDB does not have; whether to report InnoDB instead is undecided
SHOW ENGINES;

-- name: charsets
-- expect: subset: MariaDB has every character set
SHOW CHARSET;

-- name: server charset
SELECT @@GLOBAL.character_set_server, @@GLOBAL.collation_server;

-- name: lower_case_table_names
SHOW VARIABLES LIKE 'lower_case_table_names';

-- name: sql_mode variable
-- expect: ignore Value: each server's configured mode
SHOW VARIABLES LIKE 'sql_mode';

-- name: schemata
SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{database}';

-- name: show create database
SHOW CREATE DATABASE `{database}`;

-- name: table status
-- expect: only-mariadb Max_index_length, Temporary: MariaDB's own columns
-- expect: ignore Engine, Version, Row_format, Rows, Avg_row_length, Data_length, Max_data_length, Index_length, Data_free, Auto_increment, Create_time, Update_time, Check_time, Checksum, Max_index_length, Temporary: storage facts the gateway does not have
SHOW TABLE STATUS FROM `{database}`;

-- name: table status like
-- expect: only-mariadb Max_index_length, Temporary: MariaDB's own columns
-- expect: ignore Engine, Version, Row_format, Rows, Avg_row_length, Data_length, Max_data_length, Index_length, Data_free, Auto_increment, Create_time, Update_time, Check_time, Checksum, Max_index_length, Temporary: storage facts the gateway does not have
SHOW TABLE STATUS FROM `{database}` LIKE 'orders';

-- name: full tables
SHOW FULL TABLES FROM `{database}`;

-- name: columns
SELECT COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_TYPE, COLUMN_KEY, EXTRA, COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='{database}' AND TABLE_NAME='orders' ORDER BY ORDINAL_POSITION;

-- name: columns octet length
SELECT COLUMN_NAME, CHARACTER_OCTET_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='{database}' ORDER BY TABLE_NAME, ORDINAL_POSITION;

-- name: indexes
-- expect: only-mariadb Ignored: MariaDB's own column
-- expect: only-mysql8 Visible, Expression: MySQL 8's columns, which MariaDB lacks
-- expect: ignore Cardinality: the gateway keeps no statistics
SHOW INDEX FROM `orders` FROM `{database}`;

-- name: constraints
SELECT CONSTRAINT_NAME, TABLE_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA='{database}' ORDER BY TABLE_NAME, CONSTRAINT_NAME;

-- name: constraint columns
SELECT kc.CONSTRAINT_NAME,kc.TABLE_NAME,kc.COLUMN_NAME,kc.ORDINAL_POSITION FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE kc WHERE kc.TABLE_SCHEMA='{database}' AND kc.REFERENCED_TABLE_NAME IS NULL AND kc.TABLE_NAME='orders' ORDER BY kc.CONSTRAINT_NAME,kc.ORDINAL_POSITION;

-- name: foreign keys
SELECT kc.CONSTRAINT_NAME, kc.TABLE_NAME, kc.COLUMN_NAME, kc.REFERENCED_TABLE_NAME, kc.REFERENCED_COLUMN_NAME FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE kc WHERE kc.TABLE_SCHEMA='{database}' AND kc.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY kc.CONSTRAINT_NAME, kc.ORDINAL_POSITION;

-- name: referential constraints
SELECT CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='{database}';

-- name: routines
SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='{database}' ORDER BY ROUTINE_NAME;

-- name: triggers
SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='{database}';

-- name: views
SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA='{database}';

-- name: session manager
-- expect: only-mariadb Progress: MariaDB's own column
-- expect: columns: each server's own connections
SHOW FULL PROCESSLIST;

-- name: server status
-- expect: columns: counters are each server's own
SHOW STATUS;

-- name: count tables
SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='{database}';

-- name: columns join tables
SELECT t.TABLE_NAME, COUNT(c.COLUMN_NAME) AS cols FROM information_schema.TABLES t JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME WHERE t.TABLE_SCHEMA = '{database}' GROUP BY t.TABLE_NAME ORDER BY t.TABLE_NAME;
