// Drives MariaDB Connector/J against the gateway: connect (TLS), metadata, a server-side
// prepared statement. Prints one "key=value" line per finding for the Python test to check.
import java.sql.*;

public class ConnectorJProbe {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        try (Connection c = DriverManager.getConnection(url, args[1], args[2])) {
            DatabaseMetaData md = c.getMetaData();
            StringBuilder tables = new StringBuilder();
            try (ResultSet rs = md.getTables("db", null, "%", new String[] {"TABLE"})) {
                while (rs.next()) tables.append(rs.getString("TABLE_NAME")).append(',');
            }
            System.out.println("tables=" + tables);
            StringBuilder cols = new StringBuilder();
            try (ResultSet rs = md.getColumns("db", null, "orders", "%")) {
                while (rs.next()) {
                    cols.append(rs.getString("COLUMN_NAME")).append(':')
                        .append(rs.getInt("ORDINAL_POSITION")).append(',');
                    if ("status".equals(rs.getString("COLUMN_NAME"))) {
                        System.out.println("status_remarks=" + rs.getString("REMARKS"));
                    }
                }
            }
            System.out.println("columns=" + cols);
            try (PreparedStatement ps =
                     c.prepareStatement("SELECT COUNT(*) FROM orders WHERE status = ?")) {
                ps.setString(1, "pending");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    System.out.println("pending=" + rs.getLong(1));
                }
                ps.setString(1, "pending' OR '1'='1");
                try (ResultSet rs = ps.executeQuery()) {
                    System.out.println("hostile=" + (rs.next() ? rs.getLong(1) : 0));
                }
            }
            // setString on a number comparison, as BI tools bind parameters.
            try (PreparedStatement ps =
                     c.prepareStatement("SELECT COUNT(*) FROM orders WHERE id <= ?")) {
                ps.setString(1, "10");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    System.out.println("text_number=" + rs.getLong(1));
                }
            }
        }
    }
}
