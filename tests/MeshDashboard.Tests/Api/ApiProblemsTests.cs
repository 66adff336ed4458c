using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MeshDashboard.Tests.Api;

/// <summary>Every refusal of the API is problem+json, whoever refuses: routing, Kestrel's limits or an unhandled exception.</summary>
public sealed class ApiProblemsTests : IAsyncLifetime
{
    private const int BodyLimit = 64 * 1024;

    private readonly TestDashboard _dashboard = new(
        new Dictionary<string, string?>(),
        configure: builder => builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = BodyLimit),
        replaceServices: services =>
        {
            var real = services.Last(d => d.ServiceType == typeof(IMeshDashboardClient));
            services.AddScoped<IMeshDashboardClient>(sp => new ThrowingMeshDashboardClient((IMeshDashboardClient)real.ImplementationFactory!(sp)));
        });

    private HttpClient _http = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _dashboard.InitializeAsync();
        _http = _dashboard.CreateHttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _dashboard.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string? MediaType, JsonNode? Problem, string Text)> SendAsync(string method, string path, string? json = null, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, mediaType);
        }
        using var response = await _http.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        var isProblem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, isProblem ? JsonNode.Parse(text) : null, text);
    }

    [Theory]
    [InlineData("PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": 50, "v2": 50}}""")]
    [InlineData("POST", "/api/services/myapp/myapp/switch", """{"subset": "v1"}""")]
    public async Task UnhandledException_Answers500ProblemWithATraceId_AndNoExceptionText(string method, string path, string body)
    {
        var (status, mediaType, problem, text) = await SendAsync(method, path, body);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal(500, (int)problem!["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["traceId"]), text);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongMethod_Answers405Problem()
    {
        var (status, mediaType, problem, _) = await SendAsync("PUT", "/api/changes", "{}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal(405, (int)problem!["status"]!);
    }

    // Only GET: in Development MapStaticAssets adds a GET-only {**path:file} fallback, so another method there is a 405 (a problem too).
    [Fact]
    public async Task UnknownApiPath_Answers404Problem()
    {
        var (status, mediaType, problem, _) = await SendAsync("GET", "/api/nothing/here");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal(404, (int)problem!["status"]!);
    }

    [Fact]
    public async Task BodyOverTheLimit_Answers413Problem()
    {
        var body = $$"""{"weights": {"v1": 50, "v2": 50}, "reason": "{{new string('x', BodyLimit)}}"}""";

        var (status, mediaType, _, _) = await SendAsync("PUT", "/api/services/myapp/myapp/weights", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("application/problem+json", mediaType);
    }

    [Fact]
    public async Task BodyThatIsNotJson_Answers415Problem()
    {
        var (status, mediaType, _, _) = await SendAsync("PUT", "/api/services/myapp/myapp/weights", "weights=50", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("application/problem+json", mediaType);
    }

    [Fact]
    public async Task UnknownPage_StaysOutOfTheApiProblems()
    {
        var (status, mediaType, _, _) = await SendAsync("GET", "/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.NotEqual("application/problem+json", mediaType);
    }
}
