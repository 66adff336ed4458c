using System.Globalization;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Traffic;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Cluster.Metrics;

/// <summary>
/// The figures every page and API call shares: one read per service and window per refresh interval however many
/// callers ask (later callers join the read in flight or take its result), at most
/// <see cref="MetricsOptions.MaxServicesPerRefresh"/> service reads per interval across the mesh, and never a wait
/// beyond <see cref="MetricsOptions.QueryTimeout"/>: a slow read goes on in the background and fills the cache, the
/// caller gets "no data" and why. A failed read is kept for the interval too, so a broken Prometheus is not hammered.
/// </summary>
internal sealed class SharedTrafficMetrics(ITrafficSource source, MetricsOptions options, TimeProvider time, ILogger<SharedTrafficMetrics> logger) : ITrafficMetrics
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Read<IReadOnlyList<TrafficSample>>> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Read<IReadOnlyList<ServiceRequestRate>>> _mesh = new(StringComparer.Ordinal);
    private DateTimeOffset _budgetSince = DateTimeOffset.MinValue;
    private int _budgetUsed;

    public string Source => source.Name;

    public TimeSpan RefreshInterval => options.RefreshInterval;

    public async Task<ServiceTraffic> GetServiceAsync(MeshState state, MeshService service, MetricsWindow window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Read<IReadOnlyList<TrafficSample>>? read;
        lock (_gate)
        {
            var key = $"{service.Namespace}/{service.Name}/{window.Text}";
            read = _services.GetValueOrDefault(key);
            if (read is null || read.ExpiredAt(now, options.RefreshInterval))
            {
                if (TakeBudget(now))
                {
                    var query = new ServiceTrafficQuery(service.Namespace, service.Name, service.Fqdn, window, now, options.SeriesRange, options.SeriesStep);
                    read = Start(now, token => source.ReadServiceAsync(query, token), $"{service.Namespace}/{service.Name}");
                    _services[key] = read;
                    EvictExpired(_services, now);
                }
                else if (read is null || !read.Task.IsCompletedSuccessfully)
                {
                    return ServiceTraffic.Unavailable(source.Name, window, TrafficAvailability.NoData, BudgetReason(), now);
                }
            }
        }
        var (samples, reason) = await AwaitAsync(read, cancellationToken);
        return samples is null
            ? ServiceTraffic.Unavailable(source.Name, window, TrafficAvailability.NoData, reason!, now)
            : SubsetVersions.Aggregate(source.Name, window, service, state.PodsOf(service), [.. samples], read.StartedAt);
    }

    public async Task<MeshTraffic> GetMeshAsync(MetricsWindow window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Read<IReadOnlyList<ServiceRequestRate>>? read;
        lock (_gate)
        {
            read = _mesh.GetValueOrDefault(window.Text);
            if (read is null || read.ExpiredAt(now, options.RefreshInterval))
            {
                // One mesh-wide query per interval answers every service of the overview; it does not count against the per-service budget.
                read = Start(now, token => source.ReadMeshAsync(window, now, token), "the mesh");
                _mesh[window.Text] = read;
            }
        }
        var (rates, reason) = await AwaitAsync(read, cancellationToken);
        return rates is null
            ? MeshTraffic.Unavailable(source.Name, window, TrafficAvailability.NoData, reason!, now)
            : MeshTraffic.From(source.Name, window, read.StartedAt, rates);
    }

    private bool TakeBudget(DateTimeOffset now)
    {
        if (now - _budgetSince >= options.RefreshInterval)
        {
            _budgetSince = now;
            _budgetUsed = 0;
        }
        if (_budgetUsed >= options.MaxServicesPerRefresh)
        {
            return false;
        }
        _budgetUsed++;
        return true;
    }

    private string BudgetReason() => string.Create(CultureInfo.InvariantCulture,
        $"the budget of {options.MaxServicesPerRefresh} services read per {options.RefreshInterval.TotalSeconds:0.#}s is used up (Metrics:MaxServicesPerRefresh); figures follow at the next refresh");

    private Read<T> Start<T>(DateTimeOffset now, Func<CancellationToken, Task<T>> reader, string what)
    {
        // The read is not tied to the first caller: others share it, and it may finish after that caller gave up.
        // It has its own upper bound so a hung connection cannot pin a read forever.
        var task = Task.Run(async () =>
        {
            using var limit = new CancellationTokenSource(options.QueryTimeout * 4, time);
            try
            {
                return await reader(limit.Token);
            }
            catch (Exception error) when (error is not PrometheusException)
            {
                logger.LogDebug(error, "Reading traffic of {What} from {Source} failed", what, source.Name);
                throw;
            }
        });
        return new Read<T>(now, task);
    }

    private async Task<(T? Value, string? Reason)> AwaitAsync<T>(Read<T> read, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return (await read.Task.WaitAsync(options.QueryTimeout, time, cancellationToken), null);
        }
        catch (TimeoutException)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"{SourceTitle} did not answer within {options.QueryTimeout.TotalSeconds:0.#}s"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"{SourceTitle} did not answer in time");
        }
        catch (PrometheusException error)
        {
            return (null, error.Message);
        }
        catch (HttpRequestException error)
        {
            return (null, $"{SourceTitle} cannot be reached: {error.Message}");
        }
    }

    private string SourceTitle => source.Name == TrafficSources.Prometheus ? "Prometheus" : "the " + source.Name;

    private static void EvictExpired<T>(Dictionary<string, Read<T>> reads, DateTimeOffset now)
    {
        // Keys are bounded by services × windows; expired entries go so a long-running process does not keep every window ever asked.
        foreach (var stale in reads.Where(p => now - p.Value.StartedAt > TimeSpan.FromMinutes(10)).Select(p => p.Key).ToList())
        {
            reads.Remove(stale);
        }
    }

    private sealed record Read<T>(DateTimeOffset StartedAt, Task<T> Task)
    {
        public bool ExpiredAt(DateTimeOffset now, TimeSpan interval) => now - StartedAt >= interval;
    }
}

/// <summary>No metrics source in a mode that has no sandbox: every figure says so, and how to set one up.</summary>
internal sealed class UnconfiguredTrafficMetrics(TimeProvider time) : ITrafficMetrics
{
    public const string HowToConfigure =
        "Metrics are not configured: set Metrics:PrometheusUrl to a Prometheus that scrapes Istio's sidecars (for Istio's add-on, http://prometheus.istio-system:9090).";

    public string Source => TrafficSources.None;

    public TimeSpan RefreshInterval => TimeSpan.FromMinutes(1);

    public Task<ServiceTraffic> GetServiceAsync(MeshState state, MeshService service, MetricsWindow window, CancellationToken cancellationToken) =>
        Task.FromResult(ServiceTraffic.Unavailable(Source, window, TrafficAvailability.NotConfigured, HowToConfigure, time.GetUtcNow()));

    public Task<MeshTraffic> GetMeshAsync(MetricsWindow window, CancellationToken cancellationToken) =>
        Task.FromResult(MeshTraffic.Unavailable(Source, window, TrafficAvailability.NotConfigured, HowToConfigure, time.GetUtcNow()));
}
