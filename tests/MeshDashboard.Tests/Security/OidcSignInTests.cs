using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Security;

/// <summary>
/// OpenID Connect sign-in end to end: the real dashboard against a real OpenID provider (OpenIddict), both on
/// loopback, driven by an HTTP client that keeps cookies and follows every redirect itself.
/// </summary>
public sealed partial class OidcSignInTests : IAsyncLifetime
{
    private const string SessionCookie = "MeshDashboard.Session";

    private TestOpenIdProvider _provider = null!;
    private TestDashboard? _dashboard;
    private readonly CookieContainer _cookies = new();
    private HttpClient _http = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private TestDashboard Dashboard => _dashboard ?? throw new InvalidOperationException("call StartDashboardAsync first");

    public async ValueTask InitializeAsync()
    {
        _provider = await TestOpenIdProvider.StartAsync(Cancel);
        _http = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, UseCookies = true, AllowAutoRedirect = false });
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
        await _provider.DisposeAsync();
    }

    /// <summary>The dashboard needs the provider's address; the provider learns the dashboard's redirect URI afterwards.</summary>
    private async Task StartDashboardAsync(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Oidc",
            ["Auth:Oidc:Authority"] = _provider.Issuer.ToString(),
            ["Auth:Oidc:ClientId"] = TestOpenIdProvider.ClientId,
            ["Auth:Oidc:ClientSecret"] = TestOpenIdProvider.ClientSecret,
            ["Auth:Oidc:RequireHttpsMetadata"] = "false",
            ["Auth:Oidc:ReleaseManagerGroups:0"] = "release-managers",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        _dashboard = new TestDashboard(settings);
        await _dashboard.InitializeAsync();
        await _provider.RegisterClientAsync(_dashboard.BaseAddress, Cancel);
    }

    private Uri At(string path) => new(Dashboard.BaseAddress, path);

    private bool HasSession => _cookies.GetCookies(Dashboard.BaseAddress).Any(c => c.Name.StartsWith(SessionCookie, StringComparison.Ordinal));

    private async Task<HttpResponseMessage> GetAsync(Uri uri) => await _http.GetAsync(uri, Cancel);

    private static Uri Location(HttpResponseMessage response, Uri from)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found, $"expected a redirect from {from}, got {(int)response.StatusCode}");
        return new Uri(from, response.Headers.Location!);
    }

    /// <summary>
    /// Follows a flow across both servers until it comes back to a dashboard page other than the handler's own
    /// callback (<paramref name="callbackPath"/>): sign-in from the provider's authorize URL (the dashboard asks for
    /// response_mode=query, so every step is a redirect), sign-out from its end-session URL.
    /// </summary>
    private async Task<Uri> FollowToDashboardAsync(Uri start, string callbackPath)
    {
        var next = start;
        for (var hop = 0; hop < 10; hop++)
        {
            using var response = await GetAsync(next);
            if ((int)response.StatusCode >= 400)
            {
                Assert.Fail($"{next.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");
            }
            var location = Location(response, next);
            if (location.Authority == Dashboard.BaseAddress.Authority && !location.AbsolutePath.StartsWith(callbackPath, StringComparison.Ordinal))
            {
                return location;
            }
            next = location;
        }
        throw new InvalidOperationException($"the flow from {start.GetLeftPart(UriPartial.Path)} did not come back to the dashboard");
    }

    private Task<Uri> CompleteSignInAsync(Uri authorize) => FollowToDashboardAsync(authorize, "/signin-oidc");

    private async Task SignInAsync()
    {
        using var challenge = await GetAsync(At("/auth/oidc"));
        var end = await CompleteSignInAsync(Location(challenge, At("/auth/oidc")));
        Assert.Equal("/", end.AbsolutePath);
    }

    private async Task<string> WeightsAsync() =>
        (await Dashboard.Kubectl.RunAsync("get", "vs", "myapp", "-n", "myapp", "-o", "jsonpath={.spec.http[0].route[*].weight}")).EnsureSuccess().Output;

    private async Task<HttpResponseMessage> PutWeightsAsync() =>
        await _http.PutAsync(At("/api/services/myapp/myapp/weights"), new StringContent("""{"weights":{"v1":50,"v2":50}}""", Encoding.UTF8, "application/json"), Cancel);

    [Fact]
    public async Task SignIn_WithAReleaseManagerGroup_OpensTheDashboardAndMayChangeTraffic()
    {
        await StartDashboardAsync();

        using var home = await GetAsync(At("/"));
        Assert.Equal("/signin", Location(home, At("/")).AbsolutePath);

        using var challenge = await GetAsync(At("/auth/oidc"));
        var authorize = Location(challenge, At("/auth/oidc"));
        Assert.Equal(new Uri(_provider.Issuer, TestOpenIdProvider.AuthorizePath), new Uri(authorize.GetLeftPart(UriPartial.Path)));
        Assert.Matches("[?&]code_challenge=[A-Za-z0-9_-]{43}(&|$)", authorize.Query);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);
        // No response_mode: for response_type=code that means query, i.e. the code comes back in a redirect, not a form_post.
        Assert.DoesNotContain("response_mode", authorize.Query, StringComparison.Ordinal);

        var end = await CompleteSignInAsync(authorize);
        Assert.Equal(At("/"), end);
        Assert.True(HasSession);

        using var signedIn = await GetAsync(At("/"));
        var page = await signedIn.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var user = UserMenu().Match(page);
        Assert.True(user.Success, "the page shows who is signed in");
        Assert.Equal(("olivia", "ReleaseManager"), (user.Groups["name"].Value, user.Groups["role"].Value));

        // A JSON write with the session cookie and no antiforgery token: the API takes JSON only, so no form can forge it.
        using var put = await PutWeightsAsync();
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("50 50", await WeightsAsync());
        var history = JsonNode.Parse(await _http.GetStringAsync(At("/api/services/myapp/myapp/history"), Cancel))!.AsArray();
        Assert.Equal("olivia", (string?)history[0]!["author"]);
    }

    [Fact]
    public async Task SignIn_WithNoMappedGroup_GetsNoRole_AndIsRefused()
    {
        _provider.User = new TestOpenIdUser("mallory", ["contractors"]);
        await StartDashboardAsync(("Auth:Oidc:ViewerGroups:0", "viewers"));

        await SignInAsync();

        using var page = await GetAsync(At("/"));
        using var list = await GetAsync(At("/api/services"));
        using var put = await PutWeightsAsync();
        Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("mallory", await page.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal("25 75", await WeightsAsync());
    }

    [Fact]
    public async Task SignOut_WithThePageFormsToken_EndsTheSession()
    {
        await StartDashboardAsync();
        await SignInAsync();
        using var home = await GetAsync(At("/"));
        var token = SignOutToken().Match(await home.Content.ReadAsStringAsync(Cancel));
        Assert.True(token.Success, "the page has a sign-out form with an antiforgery token");

        using var signOut = await _http.PostAsync(At("/auth/signout"),
            new FormUrlEncodedContent([new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups["token"].Value))]), Cancel);

        // RP-initiated logout: to the provider's end-session endpoint with the ID token as hint, then back to sign-in.
        var endSession = Location(signOut, At("/auth/signout"));
        Assert.Equal(new Uri(_provider.Issuer, TestOpenIdProvider.EndSessionPath).AbsoluteUri, endSession.GetLeftPart(UriPartial.Path));
        Assert.Contains("id_token_hint=", endSession.Query, StringComparison.Ordinal);
        Assert.False(HasSession);
        var end = await FollowToDashboardAsync(endSession, "/signout-callback-oidc");
        Assert.Equal("/signin", end.AbsolutePath);
        using var after = await GetAsync(At("/"));
        Assert.Equal("/signin", Location(after, At("/")).AbsolutePath);
        using var api = await GetAsync(At("/api/services"));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    /// <summary>The user menu's "name · role".</summary>
    [GeneratedRegex("""data-testid="user-name"[\s\S]*?>\s*(?<name>[^<>\s]+)\s*(?:·|&#xB7;|&#183;)\s*(?<role>[A-Za-z ]+?)\s*<""")]
    private static partial Regex UserMenu();

    [GeneratedRegex(""""action="/auth/signout"[\s\S]*?name="__RequestVerificationToken"[^>]*value="(?<token>[^"]+)"""")]
    private static partial Regex SignOutToken();
}
