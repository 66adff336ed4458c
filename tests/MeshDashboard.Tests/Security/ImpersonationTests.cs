using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace MeshDashboard.Tests.Security;

/// <summary>With Cluster:Impersonate on, writes reach Kubernetes as the person (or token) who made them.</summary>
public sealed class ImpersonationTests : IAsyncLifetime
{
    private readonly SecuredDashboard _impersonating = new(signInAttemptsPerMinute: 100, impersonate: true);
    private readonly SecuredDashboard _plain = new(signInAttemptsPerMinute: 100, impersonate: false);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _impersonating.InitializeAsync();
        await _plain.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _impersonating.DisposeAsync();
        await _plain.DisposeAsync();
    }

    private static async Task ChangeWeightsAsAliceAsync(SecuredDashboard secured)
    {
        using var browser = secured.Dashboard.CreateBrowserLikeClient();
        (await SecuredDashboard.SignInAsync(browser, "alice", SecuredDashboard.AlicePassword)).Dispose();
        using var response = await browser.PutAsync(new Uri("/api/services/myapp/myapp/weights", UriKind.Relative),
            new StringContent("""{"weights": {"v1": 50, "v2": 50}}""", Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static IEnumerable<Sandbox.RecordedRequest> IstioWrites(SecuredDashboard secured) =>
        secured.Dashboard.App.Sandbox!.Requests.Snapshot().Where(r => r.Method is "PATCH" or "POST" or "DELETE" && r.Path.Contains("/virtualservices/", StringComparison.Ordinal));

    [Fact]
    public async Task Writes_CarryTheSignedInPersonAsImpersonateUser()
    {
        await ChangeWeightsAsAliceAsync(_impersonating);

        var writes = IstioWrites(_impersonating).ToList();
        Assert.Contains(writes, w => w.Path.Contains("dryRun=All", StringComparison.Ordinal) is false);
        Assert.All(writes, w => Assert.Equal("alice", w.ImpersonateUser));
    }

    [Fact]
    public async Task Writes_ByAToken_CarryTheTokensName()
    {
        using var client = _impersonating.Dashboard.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecuredDashboard.PipelineToken);

        using var response = await client.PostAsync(new Uri("/api/services/myapp/myapp/switch", UriKind.Relative),
            new StringContent("""{"subset": "v1"}""", Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(IstioWrites(_impersonating), w => Assert.Equal("release-pipeline", w.ImpersonateUser));
    }

    [Fact]
    public async Task WithoutImpersonation_WritesUseTheDashboardsOwnIdentity()
    {
        await ChangeWeightsAsAliceAsync(_plain);

        var writes = IstioWrites(_plain).ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, w => Assert.Null(w.ImpersonateUser));
    }
}
