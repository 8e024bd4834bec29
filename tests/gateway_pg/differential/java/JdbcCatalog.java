import java.sql.*;
import java.util.*;

/** Calls the DatabaseMetaData methods BI tools call on connect (DBeaver, DataGrip, Tableau,
 *  Metabase all go through pgjdbc), so that collect.py can record the SQL pgjdbc sends. */
public class JdbcCatalog {
    static void drain(ResultSet rs) throws SQLException {
        try (rs) { while (rs.next()) { } }
    }

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", args[1]);
        props.setProperty("sslmode", "disable");
        try (Connection c = DriverManager.getConnection(args[0], props)) {
            DatabaseMetaData md = c.getMetaData();
            String[] calls = {"getTables", "getColumns", "getPrimaryKeys", "getSchemas",
                "getCatalogs", "getTableTypes", "getTypeInfo", "getImportedKeys",
                "getExportedKeys", "getIndexInfo", "getProcedures", "getFunctions",
                "getUDTs", "getTablePrivileges", "getColumnPrivileges", "getBestRowIdentifier",
                "getVersionColumns", "getCrossReference", "getSuperTables", "getClientInfoProperties"};
            for (String call : calls) {
                System.out.println("step " + call);
                System.out.flush();
                try {
                    switch (call) {
                        case "getTables" -> drain(md.getTables(null, "public", "%", new String[] {"TABLE", "VIEW"}));
                        case "getColumns" -> drain(md.getColumns(null, "public", "orders", "%"));
                        case "getPrimaryKeys" -> drain(md.getPrimaryKeys(null, "public", "orders"));
                        case "getSchemas" -> drain(md.getSchemas());
                        case "getCatalogs" -> drain(md.getCatalogs());
                        case "getTableTypes" -> drain(md.getTableTypes());
                        case "getTypeInfo" -> drain(md.getTypeInfo());
                        case "getImportedKeys" -> drain(md.getImportedKeys(null, "public", "orders"));
                        case "getExportedKeys" -> drain(md.getExportedKeys(null, "public", "orders"));
                        case "getIndexInfo" -> drain(md.getIndexInfo(null, "public", "orders", false, true));
                        case "getProcedures" -> drain(md.getProcedures(null, "public", "%"));
                        case "getFunctions" -> drain(md.getFunctions(null, "public", "%"));
                        case "getUDTs" -> drain(md.getUDTs(null, "public", "%", null));
                        case "getTablePrivileges" -> drain(md.getTablePrivileges(null, "public", "orders"));
                        case "getColumnPrivileges" -> drain(md.getColumnPrivileges(null, "public", "orders", "%"));
                        case "getBestRowIdentifier" -> drain(md.getBestRowIdentifier(null, "public", "orders", DatabaseMetaData.bestRowSession, true));
                        case "getVersionColumns" -> drain(md.getVersionColumns(null, "public", "orders"));
                        case "getCrossReference" -> drain(md.getCrossReference(null, "public", "orders", null, "public", "secrets"));
                        case "getSuperTables" -> drain(md.getSuperTables(null, "public", "orders"));
                        case "getClientInfoProperties" -> drain(md.getClientInfoProperties());
                        default -> { }
                    }
                } catch (SQLException e) {
                    System.out.println("error " + call + ": " + e.getMessage());
                }
            }
            System.out.println("step resultset metadata");
            System.out.flush();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select oid, relname from pg_catalog.pg_class limit 1")) {
                ResultSetMetaData rmd = rs.getMetaData();
                for (int i = 1; i <= rmd.getColumnCount(); i++) {
                    rmd.getColumnTypeName(i);
                    rmd.isNullable(i);
                    rmd.isAutoIncrement(i);
                    rmd.getTableName(i);
                }
            }
        }
    }
}
