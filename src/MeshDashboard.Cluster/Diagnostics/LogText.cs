using System.Globalization;
using System.Text;

namespace MeshDashboard.Cluster.Diagnostics;

/// <summary>
/// Values that people choose (user names, reasons, summaries naming rules) go into log lines. A line break in one
/// would start a forged log line, so control characters are written as <c>\uXXXX</c> escapes instead.
/// </summary>
public static class LogText
{
    public static string Safe(string? value)
    {
        if (value is null)
        {
            return "";
        }
        if (!value.Any(char.IsControl))
        {
            return value;
        }
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            escaped.Append(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString());
        }
        return escaped.ToString();
    }
}
