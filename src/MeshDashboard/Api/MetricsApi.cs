using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Api;

/// <summary>
/// <c>GET /api/services/{namespace}/{name}/metrics?window=5m</c>: the service's live traffic per subset, from Prometheus
/// or the sandbox. A source that is down or slow is not an API error: the answer says <c>noData</c> and why.
/// </summary>
public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/services/{namespace}/{name}/metrics",
                async (string @namespace, string name, string? window, IMeshDashboardClient client, ITrafficMetrics metrics, CancellationToken cancellationToken) =>
            {
                if (MetricsWindow.TryParse(window, out var error) is not { } parsed)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["window"] = [error!] },
                        detail: $"window: {error}", title: "The request is invalid");
                }
                var state = client.Current;
                if (state.FindService(@namespace, name) is not { } service)
                {
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Service not found", detail: $"There is no service {@namespace}/{name}.");
                }
                return Results.Ok(ServiceMetricsDto.From(await metrics.GetServiceAsync(state, service, parsed, cancellationToken)));
            })
            .RequireAuthorization(Authentication.Roles.CanViewPolicy)
            .WithTags("Services").WithName("GetServiceMetrics")
            .WithSummary("Live traffic per subset over a window (default 1m; 10s to 6h, e.g. 5m): requests per second, success rate (non-5xx), p50/p90/p99 latency in ms, from Prometheus or the sandbox.")
            .Produces<ServiceMetricsDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }
}

/// <summary>A subset's (or the whole service's) figures; success and latencies are null when it received nothing.</summary>
public sealed record SubsetMetricsDto(string Name, double RequestsPerSecond, double? SuccessRate, double? P50Ms, double? P90Ms, double? P99Ms, double? Share)
{
    public static SubsetMetricsDto From(string name, TrafficFigures figures, double? share) =>
        new(name, Round(figures.RequestsPerSecond)!.Value, Round(figures.SuccessRate), Round(figures.P50Ms), Round(figures.P90Ms), Round(figures.P99Ms), Round(share));

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;
}

/// <summary>
/// <c>source</c>: prometheus, sandbox or none; <c>availability</c>: live, noData (the source failed or was slow) or
/// notConfigured; <c>reason</c> says why when not live.
/// </summary>
public sealed record ServiceMetricsDto(string Source, string Window, string Availability, string? Reason, DateTimeOffset At,
    SubsetMetricsDto Service, IReadOnlyList<SubsetMetricsDto> Subsets)
{
    public static ServiceMetricsDto From(ServiceTraffic traffic) => new(
        traffic.Source,
        traffic.Window.Text,
        traffic.Availability switch { TrafficAvailability.Live => "live", TrafficAvailability.NoData => "noData", _ => "notConfigured" },
        traffic.Reason,
        traffic.At,
        SubsetMetricsDto.From("", traffic.Service, null),
        [.. traffic.Subsets.Select(s => SubsetMetricsDto.From(s.Name, s.Figures, s.Share))]);
}
