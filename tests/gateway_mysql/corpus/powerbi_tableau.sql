-- Power BI Desktop's MySQL connector (MySQL Connector/NET: connect-time SHOW VARIABLES and
-- SHOW COLLATION, GetSchema navigation) and Tableau's MySQL connector (MySQL Connector/ODBC
-- metadata it issues for the data source page).

-- name: connector/net variables
-- expect: mysql8-rows default_authentication_plugin, innodb_version, max_execution_time, sql_require_primary_key, transaction_isolation, transaction_read_only: MySQL 8 variables MariaDB 10.11 does not have
-- expect: subset: MariaDB has hundreds more variables
-- expect: ignore Value: settings are each server's own
SHOW VARIABLES;

-- name: connector/net collation
-- expect: subset: MariaDB has hundreds of collations
-- expect: mysql8-rows utf8mb4_0900_ai_ci: MySQL 8's default collation, which MariaDB 10.11 does not have
-- expect: only-mysql8 Pad_attribute: MySQL 8's column, which MariaDB 10.11 lacks
SHOW COLLATION;

-- name: connector/net timediff
-- expect: gap: TIMEDIFF is not available in the catalog sandbox (DuckDB has no such function)
-- expect: ignore TIMEDIFF(NOW(), UTC_TIMESTAMP()): both run in UTC; the clock is read twice
SELECT TIMEDIFF(NOW(), UTC_TIMESTAMP());

-- name: navigator tables
SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA NOT IN ('information_schema', 'mysql', 'performance_schema', 'sys') AND TABLE_SCHEMA = '{database}' ORDER BY TABLE_SCHEMA, TABLE_NAME;

-- name: GetSchema Tables
SELECT TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_COLLATION, TABLE_COMMENT FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA LIKE '{database}' ORDER BY TABLE_NAME;

-- name: GetSchema Columns
-- expect: ignore Privileges, PRIVILEGES: root holds every privilege on MariaDB; a credential may only select
SELECT TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_TYPE, COLUMN_KEY, EXTRA, PRIVILEGES, COLUMN_COMMENT FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA LIKE '{database}' AND TABLE_NAME LIKE 'orders' ORDER BY ORDINAL_POSITION;

-- name: GetSchema Indexes
-- expect: only-mariadb Ignored: MariaDB's own column
-- expect: only-mysql8 Visible, Expression: MySQL 8's columns, which MariaDB lacks
-- expect: ignore Cardinality: the gateway keeps no statistics
SHOW INDEX FROM `{database}`.`orders`;

-- name: GetSchema Foreign Keys
-- expect: ignore Create Table: MariaDB writes ENGINE=InnoDB and its own spelling
SHOW CREATE TABLE `{database}`.`orders`;

-- name: tableau tables
SELECT TABLE_NAME, TABLE_COMMENT, IF(TABLE_TYPE='BASE TABLE', 'TABLE', TABLE_TYPE) AS TABLE_TYPE, TABLE_SCHEMA FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA LIKE '{database}' AND TABLE_NAME LIKE '%' ORDER BY TABLE_TYPE, TABLE_SCHEMA, TABLE_NAME;

-- name: tableau keys
-- expect: only-mariadb Ignored: MariaDB's own column
-- expect: only-mysql8 Visible, Expression: MySQL 8's columns, which MariaDB lacks
-- expect: ignore Cardinality: the gateway keeps no statistics
SHOW KEYS FROM `orders`;

-- name: tableau columns
-- expect: ignore Privileges, PRIVILEGES: root holds every privilege on MariaDB; a credential may only select
SHOW FULL COLUMNS FROM `orders` FROM `{database}`;

-- name: tableau connection test
SELECT 1;

-- name: tableau schemas
-- expect: subset: MariaDB also lists the machine's test database
-- expect: unordered: ordered by database name, and the mirror's name sorts after information_schema where db sorts before
SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql', 'performance_schema', 'sys') ORDER BY SCHEMA_NAME;
