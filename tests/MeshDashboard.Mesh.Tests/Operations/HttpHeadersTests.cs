using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Mesh.Tests.Operations;

/// <summary>Header names as RFC 7230 tokens (as istiod's ValidateHTTPHeaderName reads them) and values without control characters.</summary>
public class HttpHeadersTests
{
    [Theory]
    [InlineData("end-user")]
    [InlineData("x-b3-traceid")]
    [InlineData("X-Canary")]
    [InlineData("a!#$%&'*+-.^_`|~9")]
    public void IsToken_AcceptsLettersDigitsAndTheTokenMarks(string name)
    {
        Assert.True(HttpHeaders.IsToken(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("😀")]
    [InlineData("end user")]
    [InlineData(":authority")]
    [InlineData("x-über")]
    [InlineData("a\r\nb")]
    [InlineData("a\0")]
    [InlineData("a(b)")]
    [InlineData("a\"b")]
    public void IsToken_RefusesEmptyNamesAndEveryOtherCharacter(string name)
    {
        Assert.False(HttpHeaders.IsToken(name));
    }

    /// <summary>istio/istio ValidateHTTPHeaderNameOrJwtClaimRoute (validation.go) and ToRoutingClaim (pkg/jwt/routing.go).</summary>
    [Theory]
    [InlineData("X-Canary", true)]
    [InlineData(":method", true)]
    [InlineData(":status", true)]
    [InlineData(":Method", false)]
    [InlineData(":custom", false)]
    [InlineData("@request.auth.claims.group", true)]
    [InlineData("@Request.Auth.Claims.group", true)]
    [InlineData("@request.auth.claims[a][b]", true)]
    [InlineData("@request.auth.claims[]", false)]
    [InlineData("@request.auth.claimsgroup", false)]
    [InlineData("@other", false)]
    public void IsMatchName_FollowsIstiod(string name, bool valid)
    {
        Assert.Equal(valid, HttpHeaders.IsMatchName(name));
    }

    [Theory]
    [InlineData("tester")]
    [InlineData("tab\tseparated")]
    [InlineData("ünïcode 😀")]
    [InlineData("")]
    public void ControlCharacterIn_FindsNoneInPrintableTextAndTabs(string value)
    {
        Assert.Null(HttpHeaders.ControlCharacterIn(value));
    }

    [Theory]
    [InlineData("a\rb", '\r')]
    [InlineData("a\nb", '\n')]
    [InlineData("a\0b", '\0')]
    [InlineData("bell\a", '\a')]
    [InlineData("del\u007f", '\u007f')]
    public void ControlCharacterIn_FindsCrLfNulAndOtherControls(string value, char expected)
    {
        Assert.Equal(expected, HttpHeaders.ControlCharacterIn(value));
    }
}
