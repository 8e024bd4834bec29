import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;

/** Each stdin line is "sql<TAB>value<TAB>value...": every value bound with setString (with
 *  stringtype=unspecified pgjdbc sends them untyped); prints one line per statement: the
 *  parameter types pgjdbc learnt, the result column types and the rows. */
public class ParamProbe {
    public static void main(String[] args) throws Exception {
        try (Connection conn = DriverManager.getConnection(args[0], args[1], args[2])) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
            String line;
            while ((line = in.readLine()) != null) {
                String[] parts = line.split("\t", -1);
                StringBuilder out = new StringBuilder();
                try (PreparedStatement ps = conn.prepareStatement(parts[0])) {
                    for (int i = 1; i < parts.length; i++) {
                        ps.setString(i, parts[i]);
                    }
                    java.sql.ParameterMetaData pm = ps.getParameterMetaData();
                    for (int i = 1; i <= pm.getParameterCount(); i++) {
                        out.append("p").append(i).append('=').append(pm.getParameterTypeName(i))
                           .append(' ');
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        ResultSetMetaData md = rs.getMetaData();
                        for (int c = 1; c <= md.getColumnCount(); c++) {
                            out.append(md.getColumnTypeName(c)).append(' ');
                        }
                        while (rs.next()) {
                            out.append('|');
                            for (int c = 1; c <= md.getColumnCount(); c++) {
                                out.append(rs.getString(c)).append(',');
                            }
                        }
                    }
                } catch (java.sql.SQLException e) {
                    out.append("error ").append(e.getSQLState());
                }
                System.out.println(out);
            }
        }
    }
}
