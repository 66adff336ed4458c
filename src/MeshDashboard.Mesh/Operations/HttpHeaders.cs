namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// What a header match may name and compare, so a rule istiod would refuse (or Envoy could never match) is refused here,
/// with the field, before anything is written. istiod checks header names against the RFC 7230 token grammar
/// (istio/istio pkg/config/validation, <c>ValidateHTTPHeaderName</c>); a value with CR, LF or NUL cannot arrive in a
/// request at all, and written into a VirtualService it only confuses whoever reads it.
/// </summary>
public static class HttpHeaders
{
    /// <summary>RFC 7230 section 3.2.6: <c>token = 1*tchar</c>, tchar being letters, digits and these marks.</summary>
    private const string TokenMarks = "!#$%&'*+-.^_`|~";

    public static bool IsToken(string name) =>
        name.Length > 0 && name.All(ch => char.IsAsciiLetterOrDigit(ch) || TokenMarks.Contains(ch));

    /// <summary>
    /// The first control character of <paramref name="value"/> (below 0x20 except horizontal tab, or DEL), which RFC 7230
    /// field-content does not allow; null when there is none.
    /// </summary>
    public static char? ControlCharacterIn(string value)
    {
        foreach (var ch in value)
        {
            if ((ch < 0x20 && ch != '\t') || ch == 0x7F)
            {
                return ch;
            }
        }
        return null;
    }
}
