-- mycli (mycli/packages/execution/sql_execute.py and special_commands): start-up, the
-- completion refresher, \s (status), \dt, \l.

-- name: server info
-- expect: ignore @@version_comment: each server's own text
SELECT @@version_comment, @@version;

-- name: connection id
-- expect: ignore connection_id(): each server numbers its own connections
select connection_id();

-- name: databases
-- expect: subset: MariaDB also lists its system schemas (mysql, performance_schema, sys) and the machine's test database
SHOW DATABASES;

-- name: tables
SHOW TABLES;

-- name: table columns
select TABLE_NAME, COLUMN_NAME from information_schema.columns
                                    where table_schema = '{database}'
                                    order by table_name,ordinal_position;

-- name: indexed columns
SELECT DISTINCT TABLE_NAME, COLUMN_NAME
                                    FROM information_schema.STATISTICS
                                    WHERE TABLE_SCHEMA = '{database}'
                                      AND SEQ_IN_INDEX = 1
                                      AND COLUMN_NAME IS NOT NULL
                                    ORDER BY TABLE_NAME, COLUMN_NAME;

-- name: enum values
select TABLE_NAME, COLUMN_NAME, COLUMN_TYPE from information_schema.columns
                                    where table_schema = '{database}' and data_type = 'enum'
                                    order by table_name,ordinal_position;

-- name: foreign keys
SELECT TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
                                    FROM information_schema.KEY_COLUMN_USAGE
                                    WHERE TABLE_SCHEMA = '{database}' AND REFERENCED_TABLE_NAME IS NOT NULL;

-- name: functions
SELECT ROUTINE_NAME FROM INFORMATION_SCHEMA.ROUTINES
    WHERE ROUTINE_TYPE="FUNCTION" AND ROUTINE_SCHEMA = '{database}';

-- name: procedures
SELECT ROUTINE_NAME FROM INFORMATION_SCHEMA.ROUTINES
    WHERE ROUTINE_TYPE="PROCEDURE" AND ROUTINE_SCHEMA = '{database}';

-- name: character sets
-- expect: subset: MariaDB has every character set; the gateway offers utf8mb4 and binary
SHOW CHARACTER SET;

-- name: collations
-- expect: subset: MariaDB has hundreds of collations
-- expect: mysql8-rows utf8mb4_0900_ai_ci: MySQL 8's default collation, which MariaDB 10.11 does not have
-- expect: only-mysql8 Pad_attribute: MySQL 8's column, which MariaDB 10.11 lacks
SHOW COLLATION;

-- name: users
-- expect: error 1142: mysql.user is refused as MySQL refuses a plain user; MariaDB's root reads it
SELECT CONCAT("'", user, "'@'",host,"'") FROM mysql.user;

-- name: show candidates
-- expect: error 1142: mysql.help_topic, as for mysql.user
SELECT name from mysql.help_topic WHERE name like "SHOW %";

-- name: status global status
-- expect: columns: counters are each server's own
SHOW GLOBAL STATUS;

-- name: status global variables
-- expect: mysql8-rows default_authentication_plugin, innodb_version, max_execution_time, sql_require_primary_key, transaction_isolation, transaction_read_only: MySQL 8 variables MariaDB 10.11 does not have
-- expect: subset: MariaDB has hundreds more variables
-- expect: ignore Value: settings are each server's own
SHOW GLOBAL VARIABLES;

-- name: status session variables
-- expect: mysql8-rows default_authentication_plugin, innodb_version, max_execution_time, sql_require_primary_key, transaction_isolation, transaction_read_only: MySQL 8 variables MariaDB 10.11 does not have
-- expect: subset: MariaDB has hundreds more variables
-- expect: ignore Value: settings are each server's own
SHOW SESSION VARIABLES;

-- name: status database and user
SELECT DATABASE(), USER();

-- name: status ssl cipher
-- expect: ignore Value: the mirror connection has no TLS
SHOW STATUS LIKE "Ssl_cipher";

-- name: status ssl version
-- expect: ignore Value: the mirror connection has no TLS
SHOW STATUS LIKE "Ssl_version";

-- name: dt orders
SHOW FIELDS FROM orders;

-- name: l
-- expect: subset: MariaDB also lists its system schemas (mysql, performance_schema, sys) and the machine's test database
SHOW DATABASES;

-- name: now
-- expect: ignore NOW(): the clock moves
SELECT NOW();
