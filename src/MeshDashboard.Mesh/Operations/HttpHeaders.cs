namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// What a header match may name and compare, so a rule istiod would refuse (or Envoy could never match) is refused here,
/// with the field, before anything is written. istiod checks a header match's name with
/// <c>ValidateHTTPHeaderNameOrJwtClaimRoute</c> (istio/istio pkg/config/validation/validation.go): an RFC 7230 token in
/// any case, an HTTP/2 pseudo-header, or a JWT claim route; uppercase is accepted (names compare case-insensitively; the
/// analyzer's MD018 asks for lowercase instead of refusing). A value with CR, LF or NUL cannot arrive in a request at all,
/// and written into a VirtualService it only confuses whoever reads it.
/// </summary>
public static class HttpHeaders
{
    /// <summary>RFC 7230 section 3.2.6: <c>token = 1*tchar</c>, tchar being letters, digits and these marks.</summary>
    private const string TokenMarks = "!#$%&'*+-.^_`|~";

    public static bool IsToken(string name) =>
        name.Length > 0 && name.All(ch => char.IsAsciiLetterOrDigit(ch) || TokenMarks.Contains(ch));

    /// <summary>The pseudo-headers istiod lets a match name (RFC 7540 section 8.1.2.3 and :status), exactly as written.</summary>
    private static readonly string[] PseudoHeaders = [":method", ":scheme", ":authority", ":path", ":status"];

    /// <summary>
    /// True for a name istiod accepts in <c>headers</c> and <c>withoutHeaders</c> of a match
    /// (<c>ValidateHTTPHeaderNameOrJwtClaimRoute</c>): a token, a pseudo-header, or a JWT claim route as istio/istio
    /// pkg/jwt/routing.go <c>ToRoutingClaim</c> reads it: <c>@request.auth.claims</c> (any case) followed by <c>.claim</c>
    /// (<c>.a.b</c> for nested claims) or <c>[claim]</c> (<c>[a][b]</c>).
    /// </summary>
    public static bool IsMatchName(string name) => IsToken(name) || PseudoHeaders.Contains(name) || IsJwtClaimRoute(name);

    private const string JwtClaimPrefix = "@request.auth.claims";

    private static bool IsJwtClaimRoute(string name)
    {
        if (!name.StartsWith(JwtClaimPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var rest = name[JwtClaimPrefix.Length..];
        return (rest.StartsWith('.') && rest.Length > 1) || (rest.StartsWith('[') && rest.EndsWith(']') && rest.Length > 2);
    }

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
