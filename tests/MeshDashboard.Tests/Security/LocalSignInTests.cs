using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshDashboard.Tests.Security;

public sealed class LocalSignInTests : IAsyncLifetime
{
    private readonly SecuredDashboard _secured = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _secured.InitializeAsync();

    public ValueTask DisposeAsync() => _secured.DisposeAsync();

    [Fact]
    public async Task Pages_BeforeSignIn_RedirectToTheSignInPageWhichShowsNothingOfTheCluster()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();

        using var overview = await browser.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        var signIn = await browser.GetStringAsync(new Uri("/signin", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
        Assert.StartsWith("/signin", overview.Headers.Location!.PathAndQuery);
        Assert.Contains("name=\"password\"", signIn);
        Assert.DoesNotContain("sandbox", signIn, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("reviews", signIn);
    }

    [Fact]
    public async Task SignIn_WithTheRightPassword_OpensASessionShowingThePerson()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();

        using var answer = await SecuredDashboard.SignInAsync(browser, "alice", SecuredDashboard.AlicePassword);
        var overview = await browser.GetStringAsync(new Uri("/", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/", answer.Headers.Location!.OriginalString);
        Assert.Contains("alice · ReleaseManager", overview);
    }

    [Fact]
    public async Task SignIn_SurvivesARestartBecauseTheKeyRingIsKeptInTheCluster()
    {
        var cookies = new CookieContainer();
        using (var browser = _secured.Dashboard.CreateBrowserLikeClient(cookies))
        {
            using var answer = await SecuredDashboard.SignInAsync(browser, "alice", SecuredDashboard.AlicePassword);
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        }
        var secret = JsonNode.Parse((await _secured.Dashboard.Kubectl.RunAsync("get", "secret", "meshdashboard-data-protection", "-n", "meshdashboard", "-o", "json")).EnsureSuccess().Output)!;
        Assert.Contains(secret["data"]!.AsObject(), entry => entry.Key.StartsWith("key-", StringComparison.Ordinal));

        await _secured.Dashboard.RestartAsync();

        using var after = _secured.Dashboard.CreateBrowserLikeClient(cookies);
        var overview = await after.GetStringAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Contains("alice · ReleaseManager", overview);
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_IsRefused()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();

        using var answer = await SecuredDashboard.SignInAsync(browser, "alice", "not the password");
        using var overview = await browser.GetAsync(new Uri("/", UriKind.Relative), Cancel);

        Assert.Contains("failed=1", answer.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithoutTheAntiforgeryToken_IsRefused()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();

        using var answer = await browser.PostAsync(new Uri("/auth/signin", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "alice", ["password"] = SecuredDashboard.AlicePassword }), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();
        (await SecuredDashboard.SignInAsync(browser, "alice", SecuredDashboard.AlicePassword)).Dispose();
        var token = await SecuredDashboard.AntiforgeryTokenAsync(browser, "/");

        using var signOut = await browser.PostAsync(new Uri("/auth/signout", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Cancel);
        using var overview = await browser.GetAsync(new Uri("/", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
    }

    [Fact]
    public async Task SignOut_WithoutTheAntiforgeryToken_IsRefused()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();
        (await SecuredDashboard.SignInAsync(browser, "alice", SecuredDashboard.AlicePassword)).Dispose();

        using var signOut = await browser.PostAsync(new Uri("/auth/signout", UriKind.Relative), new FormUrlEncodedContent([]), Cancel);
        using var overview = await browser.GetAsync(new Uri("/", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
    }

    [Fact]
    public async Task PersonSignedIn_IsNamedInTheHistoryOfTheirChange()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();
        (await SecuredDashboard.SignInAsync(browser, "alice", SecuredDashboard.AlicePassword)).Dispose();

        using var change = await browser.PutAsync(new Uri("/api/services/myapp/myapp/weights", UriKind.Relative),
            new StringContent("""{"weights": {"v1": 50, "v2": 50}}""", Encoding.UTF8, "application/json"), Cancel);
        var history = JsonNode.Parse(await browser.GetStringAsync(new Uri("/api/services/myapp/myapp/history", UriKind.Relative), Cancel))!.AsArray();

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal("alice", (string?)history[0]!["author"]);
    }

    [Fact]
    public async Task ErrorPage_IsPlainAndShowsNoClusterData()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();

        var html = await browser.GetStringAsync(new Uri("/error", UriKind.Relative), Cancel);

        Assert.Contains("Something went wrong", html);
        Assert.DoesNotContain("sandbox", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", html);
    }

    [Fact]
    public async Task SecurityHeaders_AreOnPagesAndApiAnswers()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();
        using var page = await browser.GetAsync(new Uri("/signin", UriKind.Relative), Cancel);
        using var api = await browser.GetAsync(new Uri("/api/services", UriKind.Relative), Cancel);

        foreach (var response in new[] { page, api })
        {
            var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task Logs_NeverContainPasswordsOrTokens()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();
        (await SecuredDashboard.SignInAsync(browser, "alice", "a wrong secret password")).Dispose();
        (await SecuredDashboard.SignInAsync(browser, "alice", SecuredDashboard.AlicePassword)).Dispose();
        using var api = _secured.Dashboard.CreateHttpClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecuredDashboard.PipelineToken);
        (await api.PutAsync(new Uri("/api/services/myapp/myapp/weights", UriKind.Relative),
            new StringContent("""{"weights": {"v1": 30, "v2": 70}}""", Encoding.UTF8, "application/json"), Cancel)).Dispose();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "mdt_not_a_valid_token_123456");
        (await api.GetAsync(new Uri("/api/services", UriKind.Relative), Cancel)).Dispose();

        var logs = _secured.Logs.AllText;
        Assert.Contains("release-pipeline", logs);
        Assert.DoesNotContain(SecuredDashboard.AlicePassword, logs);
        Assert.DoesNotContain("a wrong secret password", logs);
        Assert.DoesNotContain(SecuredDashboard.PipelineToken, logs);
        Assert.DoesNotContain("mdt_not_a_valid_token_123456", logs);
    }
}

public sealed class SignInHardeningTests : IAsyncLifetime
{
    private readonly SecuredDashboard _secured = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _secured.InitializeAsync();

    public ValueTask DisposeAsync() => _secured.DisposeAsync();

    private async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password, string returnUrl)
    {
        var token = await SecuredDashboard.AntiforgeryTokenAsync(browser, "/signin");
        return await browser.PostAsync(new Uri("/auth/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["user"] = user,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        }), Cancel);
    }

    [Theory]
    [InlineData("/\t/evil.example/x")]
    [InlineData("/\r/evil.example/x")]
    [InlineData("/\n/evil.example/x")]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example/x")]
    [InlineData("https://evil.example/x")]
    [InlineData("/%09/evil.example/x")]
    public async Task SignIn_NeverRedirectsOffTheSite(string returnUrl)
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();

        using var signedIn = await SignInAsync(browser, "alice", SecuredDashboard.AlicePassword, returnUrl);
        using var page = await browser.GetAsync(new Uri("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl), UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var location = signedIn.Headers.Location!.OriginalString;
        Assert.True(location == "/" || returnUrl == "/%09/evil.example/x", $"redirected to {location}");
        Assert.DoesNotContain(location, char.IsControl);
        Assert.NotEqual(HttpStatusCode.InternalServerError, page.StatusCode);
    }

    [Fact]
    public async Task AUserNameWithALineBreak_CannotForgeALogLine()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();

        (await SignInAsync(browser, "eve\nalice signed in (Admin)", "wrong", "/")).Dispose();

        Assert.DoesNotContain(_secured.Logs.Lines, line => line.Split('\n').Any(l => l.StartsWith("alice signed in", StringComparison.Ordinal)));
        Assert.Contains(_secured.Logs.Lines, line => line.Contains("eve\\u000aalice signed in (Admin)", StringComparison.Ordinal));
    }
}

/// <summary>Behind a proxy that terminates TLS: the forwarded scheme makes cookies Secure and brings HSTS.</summary>
public sealed class ForwardedHeadersTests : IAsyncLifetime
{
    private readonly SecuredDashboard _secured = new(extra: new Dictionary<string, string?>
    {
        ["ForwardedHeaders:Enabled"] = "true",
        ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        ["AllowedHosts"] = "dashboard.example.com",
    });

    public ValueTask InitializeAsync() => _secured.InitializeAsync();

    public ValueTask DisposeAsync() => _secured.DisposeAsync();

    [Fact]
    public async Task ARequestForwardedAsHttps_GetsASecureCookieAndHsts()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();
        browser.DefaultRequestHeaders.Host = "dashboard.example.com";
        browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        using var response = await SecuredDashboard.SignInAsync(browser, "alice", SecuredDashboard.AlicePassword);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("MeshDashboard.Session=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task AHostOutsideAllowedHosts_IsRefused()
    {
        using var client = _secured.Dashboard.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/signin", UriKind.Relative));
        request.Headers.Host = "evil.example";

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

public sealed class SignInRateLimitTests : IAsyncLifetime
{
    private readonly SecuredDashboard _secured = new(signInAttemptsPerMinute: 3);

    public ValueTask InitializeAsync() => _secured.InitializeAsync();

    public ValueTask DisposeAsync() => _secured.DisposeAsync();

    [Fact]
    public async Task SignIn_BeyondTheAttemptsPerMinute_Answers429EvenWithTheRightPassword()
    {
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var wrong = await SecuredDashboard.SignInAsync(browser, "alice", "guess " + attempt);
            statuses.Add(wrong.StatusCode);
        }

        using var right = await SecuredDashboard.SignInAsync(browser, "alice", SecuredDashboard.AlicePassword);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Redirect, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task OneScriptGuessingOtherAccounts_DoesNotLockOutAPersonAtTheSameAddress()
    {
        using var attacker = _secured.Dashboard.CreateBrowserLikeClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (await SecuredDashboard.SignInAsync(attacker, "victor", "guess " + attempt)).Dispose();
        }
        using var blocked = await SecuredDashboard.SignInAsync(attacker, "victor", SecuredDashboard.VictorPassword);
        using var person = _secured.Dashboard.CreateBrowserLikeClient();

        using var alice = await SecuredDashboard.SignInAsync(person, "alice", SecuredDashboard.AlicePassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, alice.StatusCode);
        Assert.Equal("/", alice.Headers.Location!.OriginalString);
    }
}
