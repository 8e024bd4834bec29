"""Numbers of the MySQL client/server protocol (facts from the protocol documentation)."""

from __future__ import annotations

from enum import IntEnum, IntFlag


class Capability(IntFlag):
    LONG_PASSWORD = 0x1
    FOUND_ROWS = 0x2
    LONG_FLAG = 0x4
    CONNECT_WITH_DB = 0x8
    NO_SCHEMA = 0x10
    COMPRESS = 0x20
    ODBC = 0x40
    LOCAL_FILES = 0x80
    IGNORE_SPACE = 0x100
    PROTOCOL_41 = 0x200
    INTERACTIVE = 0x400
    SSL = 0x800
    IGNORE_SIGPIPE = 0x1000
    TRANSACTIONS = 0x2000
    RESERVED = 0x4000
    SECURE_CONNECTION = 0x8000
    MULTI_STATEMENTS = 0x10000
    MULTI_RESULTS = 0x20000
    PS_MULTI_RESULTS = 0x40000
    PLUGIN_AUTH = 0x80000
    CONNECT_ATTRS = 0x100000
    PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000
    CAN_HANDLE_EXPIRED_PASSWORDS = 0x400000
    SESSION_TRACK = 0x800000
    DEPRECATE_EOF = 0x1000000
    QUERY_ATTRIBUTES = 0x8000000


# What this server offers (SSL is added when a TLS context is configured). Deliberately absent:
# COMPRESS, LOCAL_FILES (no file reads for anyone), SESSION_TRACK, QUERY_ATTRIBUTES and
# MULTI_STATEMENTS (one statement per COM_QUERY keeps the parser and the audit trail simple).
SERVER_CAPABILITIES = (
    Capability.LONG_PASSWORD
    | Capability.FOUND_ROWS
    | Capability.LONG_FLAG
    | Capability.CONNECT_WITH_DB
    | Capability.ODBC
    | Capability.IGNORE_SPACE
    | Capability.PROTOCOL_41
    | Capability.INTERACTIVE
    | Capability.IGNORE_SIGPIPE
    | Capability.TRANSACTIONS
    | Capability.RESERVED
    | Capability.SECURE_CONNECTION
    | Capability.MULTI_RESULTS
    | Capability.PS_MULTI_RESULTS
    | Capability.PLUGIN_AUTH
    | Capability.CONNECT_ATTRS
    | Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA
    | Capability.DEPRECATE_EOF
)


class Command(IntEnum):
    QUIT = 0x01
    INIT_DB = 0x02
    QUERY = 0x03
    FIELD_LIST = 0x04
    STATISTICS = 0x09
    PROCESS_KILL = 0x0C
    PING = 0x0E
    CHANGE_USER = 0x11
    STMT_PREPARE = 0x16
    STMT_EXECUTE = 0x17
    STMT_SEND_LONG_DATA = 0x18
    STMT_CLOSE = 0x19
    STMT_RESET = 0x1A
    SET_OPTION = 0x1B
    STMT_FETCH = 0x1C
    RESET_CONNECTION = 0x1F


class ServerStatus(IntFlag):
    IN_TRANS = 0x1
    AUTOCOMMIT = 0x2
    MORE_RESULTS_EXISTS = 0x8
    NO_GOOD_INDEX_USED = 0x10
    NO_INDEX_USED = 0x20
    CURSOR_EXISTS = 0x40
    LAST_ROW_SENT = 0x80


class ColumnType(IntEnum):
    DECIMAL = 0x00
    TINY = 0x01
    SHORT = 0x02
    LONG = 0x03
    FLOAT = 0x04
    DOUBLE = 0x05
    NULL = 0x06
    TIMESTAMP = 0x07
    LONGLONG = 0x08
    INT24 = 0x09
    DATE = 0x0A
    TIME = 0x0B
    DATETIME = 0x0C
    YEAR = 0x0D
    NEWDATE = 0x0E
    VARCHAR = 0x0F
    BIT = 0x10
    JSON = 0xF5
    NEWDECIMAL = 0xF6
    ENUM = 0xF7
    SET = 0xF8
    TINY_BLOB = 0xF9
    MEDIUM_BLOB = 0xFA
    LONG_BLOB = 0xFB
    BLOB = 0xFC
    VAR_STRING = 0xFD
    STRING = 0xFE
    GEOMETRY = 0xFF


class ColumnFlag(IntFlag):
    NOT_NULL = 0x1
    PRI_KEY = 0x2
    UNIQUE_KEY = 0x4
    MULTIPLE_KEY = 0x8
    BLOB = 0x10
    UNSIGNED = 0x20
    ZEROFILL = 0x40
    BINARY = 0x80
    ENUM = 0x100
    AUTO_INCREMENT = 0x200
    TIMESTAMP = 0x400
    SET = 0x800
    NUM = 0x8000


# Collation ids: utf8mb4_general_ci is known to every client generation (MySQL 5.5+, MariaDB);
# 63 is "binary", used for numbers and dates as MySQL does.
UTF8MB4_GENERAL_CI = 45
BINARY_COLLATION = 63

CACHING_SHA2 = "caching_sha2_password"
CLEAR_PASSWORD = "mysql_clear_password"
# caching_sha2_password AuthMoreData codes.
FAST_AUTH_SUCCESS = 0x03
PERFORM_FULL_AUTHENTICATION = 0x04
REQUEST_PUBLIC_KEY = 0x02

MAX_PACKET = 0xFFFFFF
SERVER_VERSION = "8.0.36-metricsql"
DATABASE = "db"
