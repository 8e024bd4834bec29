-- Python drivers: PyMySQL and mysql-connector-python connect-time statements.

-- name: pymysql set names
SET NAMES utf8mb4;

-- name: pymysql autocommit
SET AUTOCOMMIT = 1;

-- name: connector autocommit
SET @@session.autocommit = OFF;

-- name: connector autocommit on
SET @@session.autocommit = ON;

-- name: connector select 1
SELECT 1;

-- name: connector time zone
-- expect: ignore @@session.time_zone: each server's configured zone
SELECT @@session.time_zone;

-- name: connector max_allowed_packet
-- expect: ignore @@max_allowed_packet: each server's setting
SELECT @@max_allowed_packet;
