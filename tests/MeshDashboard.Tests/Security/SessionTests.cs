using System.Net;
using System.Security.Claims;
using System.Text;
using MeshDashboard.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshDashboard.Tests.Security;

/// <summary>A session lasts only while its account does, with the role it has now; a cookie minted elsewhere is worth nothing.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private readonly SecuredDashboard _secured = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _secured.InitializeAsync();

    public ValueTask DisposeAsync() => _secured.DisposeAsync();

    private IServiceProvider Services => _secured.Dashboard.App.App.Services;

    /// <summary>Changes a setting as an edited appsettings.json or a new ConfigMap would, and reloads configuration.</summary>
    private void Reconfigure(string key, string value)
    {
        var configuration = (IConfigurationRoot)_secured.Dashboard.App.App.Configuration;
        configuration[key] = value;
        configuration.Reload();
    }

    private static Task<HttpResponseMessage> WeightsAsync(HttpClient client) =>
        client.PutAsync(new Uri("/api/services/myapp/myapp/weights", UriKind.Relative),
            new StringContent("""{"weights": {"v1": 50, "v2": 50}}""", Encoding.UTF8, "application/json"), Cancel);

    private async Task<HttpClient> SignedInAsAliceAsync()
    {
        var browser = _secured.Dashboard.CreateBrowserLikeClient();
        (await SecuredDashboard.SignInAsync(browser, "alice", SecuredDashboard.AlicePassword)).Dispose();
        return browser;
    }

    [Fact]
    public async Task ARemovedAccount_IsSignedOutAtItsNextRequest()
    {
        using var browser = await SignedInAsAliceAsync();
        using (var before = await browser.GetAsync(new Uri("/api/services", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Reconfigure("Auth:Local:0:Name", "alice-left-the-company");
        using var after = await browser.GetAsync(new Uri("/api/services", UriKind.Relative), Cancel);
        using var write = await WeightsAsync(browser);

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
    }

    [Fact]
    public async Task AChangedRole_AppliesToTheOpenSession()
    {
        using var browser = await SignedInAsAliceAsync();

        Reconfigure("Auth:Local:0:Role", "Viewer");
        using var write = await WeightsAsync(browser);

        // The old session (ReleaseManager) is no longer valid: signed out, not silently kept with the old role.
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
    }

    [Fact]
    public async Task AResetPassword_EndsTheSessionsOpenedWithTheOldOne()
    {
        using var browser = await SignedInAsAliceAsync();

        Reconfigure("Auth:Local:0:PasswordHash", PasswordHashing.Hash("a new password after a leak"));
        using var after = await browser.GetAsync(new Uri("/api/services", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ACookieMintedWithTheSharedKeyRing_ForAnAccountThisDashboardDoesNotHave_IsRefused()
    {
        // Another process sharing the key ring (a second dashboard on the same cluster) signs a session for "mallory".
        var cookies = Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "mallory"), new Claim(ClaimTypes.Role, Roles.Admin), new Claim(AccountDirectory.MethodClaim, "local")],
            CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        var minted = cookies.TicketDataFormat.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity), CookieAuthenticationDefaults.AuthenticationScheme));
        var jar = new CookieContainer();
        jar.Add(_secured.Dashboard.BaseAddress, new Cookie("MeshDashboard.Session", minted));
        using var browser = _secured.Dashboard.CreateBrowserLikeClient(jar);

        using var read = await browser.GetAsync(new Uri("/api/services", UriKind.Relative), Cancel);
        using var write = await WeightsAsync(browser);

        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
    }

    [Fact]
    public async Task ARemovedApiToken_StopsWorking()
    {
        using var client = _secured.Dashboard.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", SecuredDashboard.PipelineToken);

        Reconfigure("Auth:ApiTokens:0:Sha256", SecuredDashboard.Sha256("a rotated token"));
        using var write = await WeightsAsync(client);

        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
    }

    [Fact]
    public void OpenPages_AreRevalidatedAgainstTheAccounts()
    {
        using var scope = Services.CreateScope();

        Assert.IsType<RevalidatingSessionStateProvider>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
        var accounts = Services.GetRequiredService<AccountDirectory>();
        var alice = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "alice"), new Claim(ClaimTypes.Role, Roles.ReleaseManager), new Claim(AccountDirectory.MethodClaim, "local"),
             new Claim(AccountDirectory.PasswordStampClaim, AccountDirectory.PasswordStamp(accounts.FindAccount("alice")!))], "test", ClaimTypes.Name, ClaimTypes.Role));
        Assert.True(accounts.IsCurrent(alice));

        Reconfigure("Auth:Local:0:Role", "Admin");

        Assert.False(accounts.IsCurrent(alice));
    }

    [Fact]
    public void AReloadThatBreaksTheRules_IsNotApplied()
    {
        var accounts = Services.GetRequiredService<AccountDirectory>();

        Reconfigure("Auth:Local:0:PasswordHash", "plain-text-password");

        Assert.StartsWith("pbkdf2-sha256$", accounts.FindAccount("alice")!.PasswordHash, StringComparison.Ordinal);
    }
}
