using Microsoft.Extensions.Primitives;

namespace MeshDashboard.Sandbox.Api;

/// <summary>
/// A boolean query parameter (<c>watch</c>, <c>allowWatchBookmarks</c>, <c>sendInitialEvents</c>) read as kube-apiserver
/// reads it (apimachinery's <c>Convert_Slice_string_To_bool</c>): only the first value counts, and it is false only when
/// it is <c>0</c> or <c>false</c> in any case; anything else, <c>True</c> and the empty string included, is true.
/// Python's client sends <c>watch=True</c>.
/// </summary>
internal static class QueryBoolean
{
    public static bool Parse(StringValues values)
    {
        if (values.Count == 0)
        {
            return false;
        }
        var first = values[0] ?? "";
        return !(first == "0" || first.Equals("false", StringComparison.OrdinalIgnoreCase));
    }
}
