"""The MySQL wire gateway: the SQL API for MySQL/MariaDB clients (issue 7).

Entry point: :func:`gateway.mysql.server.start_mysql_server`.
"""
