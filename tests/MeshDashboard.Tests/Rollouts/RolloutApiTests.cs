using System.Net;
using System.Text.Json.Nodes;
using MeshDashboard.Tests.Api;

namespace MeshDashboard.Tests.Rollouts;

/// <summary>
/// <c>/api/services/{ns}/{name}/rollout</c> on the real dashboard with its sandbox and simulated traffic, on the wall
/// clock with short intervals: tests wait for outcomes (the phase), never for a time.
/// </summary>
public sealed class RolloutApiTests() : ApiTestBase(new Dictionary<string, string?>
{
    ["Metrics:RefreshInterval"] = "00:00:01",
    ["Rollouts:TickInterval"] = "00:00:00.2",
    ["Rollouts:LeaseDuration"] = "00:00:03",
})
{
    private const string Path = "/api/services/bookinfo/reviews/rollout";

    private const string QuickPlan = """
        {"canary": "v2", "stable": "v1", "steps": [{"weight": 50, "pause": "1s"}, {"weight": 100}],
         "gates": {"interval": "1s", "window": "10s", "minSuccessRate": 0.5, "minRequests": 1}, "reason": "release 2.0"}
        """;

    [Fact]
    public async Task PromQlGate_OnTheSandboxsSimulatedFigures_IsRefusedAtStart_NamingGatesPromql_AndNothingStarts()
    {
        using var response = await SendAsync("POST", Path, """
            {"canary": "v2", "stable": "v1", "steps": [{"weight": 10, "pause": "1m"}, {"weight": 100}],
             "gates": {"promql": [{"query": "sum(rate(istio_requests_total[1m]))", "min": 1}]}}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.Contains("Prometheus", (string?)problem["errors"]!["gates.promql"]![0]);
        using var read = await Http.GetAsync(new Uri(Path, UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task BadPlan_IsAProblemNamingEachFieldAndRule()
    {
        using var response = await SendAsync("POST", Path, """
            {"canary": "v9", "stable": "v1", "steps": [{"weight": 50, "pause": "soon"}, {"weight": 20}], "gates": {"minSuccessRate": 2}, "onFailure": "panic"}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["errors"]!.AsObject();
        Assert.Equal(["onFailure", "steps[0].pause"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));

        using var second = await SendAsync("POST", Path, """{"canary": "v9", "stable": "v1", "steps": [{"weight": 50}, {"weight": 20}], "gates": {"minSuccessRate": 2}}""");
        var planErrors = JsonNode.Parse(await second.Content.ReadAsStringAsync(Cancel))!["errors"]!.AsObject();
        Assert.Equal(["canary", "gates.minSuccessRate", "steps[1].weight"], planErrors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("not defined", (string?)planErrors["canary"]![0]);
    }

    [Fact]
    public async Task DryRun_AnswersEveryStepsPreview_AndStartsNothing()
    {
        using var response = await SendAsync("POST", Path + "?dryRun=true", QuickPlan);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal("v2 50% 1s → 100%", (string?)preview["summary"]);
        Assert.Equal(2, preview["steps"]!.AsArray().Count);
        Assert.Equal(50, (int?)preview["steps"]![0]!["weights"]!["v2"]);
        Assert.True((bool?)preview["steps"]![0]!["preview"]!["dryRunAccepted"]);
        using var read = await Http.GetAsync(new Uri(Path, UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task HealthyCanary_StartedFromTheApi_Succeeds_AndASecondStartOrAnAbortAfterwardsIsAConflict()
    {
        using var started = await SendAsync("POST", Path, QuickPlan);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal(Path, started.Headers.Location?.OriginalString);
        using var again = await SendAsync("POST", Path, QuickPlan);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var done = await PhaseAsync(p => p is "Succeeded" or "RolledBack" or "Aborted");

        Assert.Equal("Succeeded", (string?)done["phase"]);
        Assert.Equal(2, (int?)done["step"]);
        Assert.Equal(100, (int?)done["weights"]!["v2"]);
        Assert.Contains(done["gates"]!.AsArray(), g => (string?)g!["name"] == "success rate" && (string?)g["verdict"] == "pass");
        var history = await GetJsonAsync("/api/services/bookinfo/reviews/history");
        Assert.Equal(2, history.AsArray().Count(h => ((string?)h!["reason"])?.StartsWith("via rollout", StringComparison.Ordinal) == true));
        using var abort = await SendAsync("POST", Path + "/abort", "{}");
        Assert.Equal(HttpStatusCode.Conflict, abort.StatusCode);
    }

    [Fact]
    public async Task Abort_TakesAllTrafficBackToStable()
    {
        using var started = await SendAsync("POST", Path, QuickPlan.Replace("\"1s\"", "\"10m\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        await PhaseAsync(_ => true, body => (int?)body["step"] == 1);

        using var abort = await SendAsync("POST", Path + "/abort", "{}");
        Assert.Equal(HttpStatusCode.Accepted, abort.StatusCode);
        var done = await PhaseAsync(p => p == "Aborted");

        Assert.Equal(100, (int?)done["weights"]!["v1"]);
        var service = await GetJsonAsync("/api/services/bookinfo/reviews");
        Assert.Contains("v1", service.ToJsonString(), StringComparison.Ordinal);
        var history = await GetJsonAsync("/api/services/bookinfo/reviews/history");
        Assert.StartsWith("via rollout: aborted by", (string?)history[0]!["reason"], StringComparison.Ordinal);
    }

    private async Task<JsonNode> PhaseAsync(Func<string, bool> phase, Func<JsonNode, bool>? also = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        JsonNode? last = null;
        while (await poll.WaitForNextTickAsync(timeout.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default))
        {
            last = await GetJsonAsync(Path);
            if (phase((string)last["phase"]!) && (also?.Invoke(last) ?? true))
            {
                return last;
            }
        }
        throw new TimeoutException($"The rollout did not reach the phase; last: {last?.ToJsonString()}");
    }
}
