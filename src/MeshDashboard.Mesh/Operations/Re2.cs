using System.Text.RegularExpressions;

namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// Checks that a regular expression is one Envoy's RE2 engine accepts: RE2 has no lookaround, backreferences,
/// atomic groups, possessive quantifiers or conditionals, and the rest must parse.
/// </summary>
internal static partial class Re2
{
    [GeneratedRegex(@"\(\?(=|!|<=|<!|>|\()")]
    private static partial Regex Unsupported();

    [GeneratedRegex(@"(?<!\\)(\\\\)*\\([1-9]|k<|k'|k\{|g\{|g[0-9])")]
    private static partial Regex Backreference();

    [GeneratedRegex(@"(?<!\\)(\\\\)*[*+?}]\+")]
    private static partial Regex Possessive();

    /// <summary>Null when the pattern is fine, else why not.</summary>
    public static string? Check(string pattern)
    {
        if (Unsupported().IsMatch(pattern))
        {
            return "RE2 does not support lookaround, atomic groups or conditionals";
        }
        if (Backreference().IsMatch(pattern))
        {
            return "RE2 does not support backreferences";
        }
        if (Possessive().IsMatch(pattern))
        {
            return "RE2 does not support possessive quantifiers";
        }
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            return "not a valid regular expression (it does not compile): " + e.Message;
        }
        return null;
    }
}
