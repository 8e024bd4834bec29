-- Metabase's MySQL driver sync: version and time zone probes, describe-database,
-- describe-fields, describe-table-fks, table privileges.

-- name: version
-- expect: ignore VERSION(): each server's version
SELECT VERSION();

-- name: session time zone
-- expect: ignore @@session.time_zone, @@system_time_zone: each server's configuration
SELECT @@session.time_zone, @@system_time_zone;

-- name: describe-database tables
SELECT TABLE_SCHEMA AS `schema`, TABLE_NAME AS name, TABLE_COMMENT AS description FROM information_schema.tables WHERE TABLE_SCHEMA = '{database}' AND TABLE_TYPE IN ('BASE TABLE', 'VIEW') ORDER BY TABLE_NAME;

-- name: describe-fields
SELECT c.column_name AS name, c.data_type AS `database-type`, c.ordinal_position - 1 AS `database-position`, c.table_schema AS `table-schema`, c.table_name AS `table-name`, IF(c.column_key = 'PRI', TRUE, FALSE) AS `pk?`, NULLIF(c.column_comment, '') AS `field-comment`, ((c.column_default IS NULL OR LOWER(c.column_default) = 'null') AND c.is_nullable = 'NO' AND NOT (c.extra LIKE '%auto_increment%')) AS `database-required`, c.extra LIKE '%auto_increment%' AS `database-is-auto-increment` FROM information_schema.columns c WHERE c.table_schema IN ('{database}') ORDER BY c.table_name, c.ordinal_position;

-- name: describe-table-fks
SELECT kcu.table_schema AS `fk-table-schema`, kcu.table_name AS `fk-table-name`, kcu.column_name AS `fk-column-name`, kcu.referenced_table_schema AS `pk-table-schema`, kcu.referenced_table_name AS `pk-table-name`, kcu.referenced_column_name AS `pk-column-name` FROM information_schema.key_column_usage kcu WHERE kcu.referenced_table_name IS NOT NULL AND kcu.table_schema = '{database}' ORDER BY kcu.table_name, kcu.ordinal_position;

-- name: describe-indexes
SELECT TABLE_NAME AS `table-name`, INDEX_NAME AS `index-name`, COLUMN_NAME AS `field-name`, SEQ_IN_INDEX AS `position` FROM information_schema.statistics WHERE TABLE_SCHEMA = '{database}' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX;

-- name: table privileges
-- expect: columns: root holds ALL PRIVILEGES on MariaDB; a credential holds SELECT on db
SHOW GRANTS FOR CURRENT_USER();

-- name: lower case table names
SHOW VARIABLES LIKE 'lower_case_table_names';

-- name: db-default-timezone
-- expect: ignore @@GLOBAL.time_zone, @@system_time_zone: each server's configuration
SELECT @@GLOBAL.time_zone, @@system_time_zone;
