import java.sql.*;
import java.util.*;

/** Drives pgjdbc against the gateway and prints what it sees, one fact per line. */
public class MetaProbe {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        Properties props = new Properties();
        props.setProperty("user", args[1]);
        props.setProperty("password", args[2]);
        props.setProperty("sslmode", "require");
        try (Connection c = DriverManager.getConnection(url, props)) {
            DatabaseMetaData md = c.getMetaData();
            System.out.println("product=" + md.getDatabaseProductName() + " " + md.getDatabaseProductVersion());
            try (ResultSet rs = md.getTables(null, "public", "%", new String[] {"TABLE"})) {
                while (rs.next()) System.out.println("table=" + rs.getString("TABLE_NAME") + " remarks=" + rs.getString("REMARKS"));
            }
            try (ResultSet rs = md.getColumns(null, "public", "orders", "%")) {
                while (rs.next()) System.out.println("column=" + rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME") + ":" + rs.getInt("DATA_TYPE"));
            }
            try (ResultSet rs = md.getPrimaryKeys(null, "public", "orders")) {
                while (rs.next()) System.out.println("pk=" + rs.getString("COLUMN_NAME"));
            }
            try (ResultSet rs = md.getSchemas()) {
                while (rs.next()) System.out.println("schema=" + rs.getString("TABLE_SCHEM"));
            }
            try (PreparedStatement ps = c.prepareStatement("select typname from pg_type where oid = ?")) {
                for (int i = 0; i < 7; i++) {  // past prepareThreshold: server-prepared, binary
                    ps.setInt(1, 23);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (i == 6) System.out.println("prepared=" + rs.getString(1));
                    }
                }
            }
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setFetchSize(2);
                int n = 0;
                try (ResultSet rs = st.executeQuery("select attname from pg_attribute order by attrelid, attnum")) {
                    while (rs.next()) n++;
                }
                System.out.println("fetched=" + n);
            }
            c.commit();
        }
    }
}
