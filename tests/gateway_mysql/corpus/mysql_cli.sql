-- The mysql/mariadb command-line client: what it sends on connect, for `status` (\s),
-- `show databases`/`show tables`, `desc`, and its rehash (tab completion) queries.

-- name: connect version comment
-- expect: ignore @@version_comment: each server's own text
select @@version_comment limit 1;

-- name: status (1)
select DATABASE(), USER() limit 1;

-- name: status (2)
select @@character_set_client, @@character_set_connection, @@character_set_server, @@character_set_database limit 1;

-- name: rehash databases
-- expect: subset: MariaDB also lists its system schemas (mysql, performance_schema, sys) and the machine's test database
show databases;

-- name: rehash tables
show tables;

-- name: rehash fields orders
show fields from `orders`;

-- name: desc orders
desc orders;

-- name: describe secrets
describe secrets;

-- name: show full tables
show full tables;

-- name: show create table
-- expect: ignore Create Table: MariaDB writes ENGINE=InnoDB and its own NULL/DEFAULT spelling; the column lines are checked in test_pymysql
show create table orders;

-- name: show index
-- expect: only-mariadb Ignored: MariaDB's own column
-- expect: only-mysql8 Visible, Expression: MySQL 8's columns, which MariaDB lacks
-- expect: ignore Cardinality: the gateway keeps no statistics
show index from orders;

-- name: show warnings
show warnings;

-- name: select database
select database();

-- name: use db
use {database};

-- name: show databases like
show databases like 'info%';

-- name: show tables like
show tables like 'ord%';

-- name: show columns like
show columns from orders like 's%';

-- name: show full columns
-- expect: ignore Privileges, PRIVILEGES: root holds every privilege on MariaDB; a credential may only select
show full columns from orders;

-- name: show tables from
show tables from {database};

-- name: show variables like version comment
-- expect: ignore Value: each server's own text
show variables like 'version_comment';
