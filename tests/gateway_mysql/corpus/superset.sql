-- Apache Superset over SQLAlchemy's mysql dialect: test connection, database and schema
-- lists, table metadata for the dataset editor, SQL Lab's schema browser.

-- name: test connection
SELECT 1;

-- name: schemas
-- expect: subset: MariaDB also lists its system schemas (mysql, performance_schema, sys) and the machine's test database
SHOW schemas;

-- name: tables
SHOW FULL TABLES FROM `{database}`;

-- name: views
SHOW FULL TABLES FROM `{database}` WHERE Table_type = 'VIEW';

-- name: table comment
SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{database}' AND TABLE_NAME = 'secrets';

-- name: columns of secrets
-- expect: ignore Create Table: MariaDB writes ENGINE=InnoDB and its own spelling
SHOW CREATE TABLE `secrets`;

-- name: sql_mode
-- expect: ignore @@sql_mode: each server's configured mode
SELECT @@sql_mode;

-- name: SQL Lab schema browser columns
SELECT COLUMN_NAME, DATA_TYPE, COLUMN_KEY, COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{database}' AND TABLE_NAME = 'secrets' ORDER BY ORDINAL_POSITION;

-- name: primary key
SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = '{database}' AND TABLE_NAME = 'orders' AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION;
