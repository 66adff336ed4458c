using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Sandbox.Traffic;

/// <summary>
/// The sandbox's metrics: Istio's request counter and duration histogram per label set, a counter of shadow
/// (mirrored) requests, and a short history of the counters so the dashboard can read rates in process when no
/// Prometheus is configured. Written by the simulator's tick, read by <c>GET /metrics</c> and the embedded reader.
/// </summary>
public sealed class TrafficLedger
{
    /// <summary>Envoy's default histogram bounds (source/common/stats/histogram_impl.cc), which Istio's duration histogram uses.</summary>
    public static readonly ImmutableArray<double> BucketBounds =
        [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    private readonly Lock _gate = new();
    private readonly Dictionary<IstioLabels, Series> _requests = [];
    private readonly Dictionary<(string Service, string Namespace, string Version), double> _shadows = [];
    private readonly List<CountsAt> _history = [];
    private readonly TimeSpan _keep;
    private readonly TimeSpan _checkpointEvery;

    public TrafficLedger(DateTimeOffset start, TimeSpan keep, TimeSpan checkpointEvery)
    {
        _keep = keep;
        _checkpointEvery = checkpointEvery;
        _history.Add(new CountsAt(start, ImmutableDictionary<ServiceKey, ServiceCounts>.Empty, ImmutableDictionary<CallKey, ImmutableArray<RequestRate>>.Empty));
    }

    public void Record(IstioLabels labels, double durationMs)
    {
        lock (_gate)
        {
            if (!_requests.TryGetValue(labels, out var series))
            {
                series = new Series();
                _requests[labels] = series;
            }
            series.Count++;
            series.SumMs += durationMs;
            var bucket = BucketBounds.IndexOf(BucketBounds.FirstOrDefault(b => durationMs <= b, double.NaN));
            series.Buckets[bucket < 0 ? BucketBounds.Length : bucket]++;
        }
    }

    public void RecordShadow(string serviceFqdn, string ns, string version)
    {
        lock (_gate)
        {
            _shadows[(serviceFqdn, ns, version)] = _shadows.GetValueOrDefault((serviceFqdn, ns, version)) + 1;
        }
    }

    /// <summary>Keeps the counters as of <paramref name="now"/> for the embedded reader (at most one checkpoint per interval).</summary>
    public void Checkpoint(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (now - _history[^1].At < _checkpointEvery)
            {
                return;
            }
            var counts = _requests
                .GroupBy(p => new ServiceKey(p.Key.Reporter, p.Key.DestinationServiceNamespace, p.Key.DestinationServiceName))
                .ToImmutableDictionary(g => g.Key, g => new ServiceCounts(
                    [.. g.Select(p => new RequestRate(p.Key.DestinationVersion, p.Key.ResponseCode, p.Key.GrpcResponseStatus, p.Value.Count))],
                    [.. g.GroupBy(p => p.Key.DestinationVersion).SelectMany(v => Cumulative(v.Key, v.Select(p => p.Value)))]));
            var calls = _requests
                .GroupBy(p => new CallKey(p.Key.Reporter, p.Key.SourceWorkloadNamespace, p.Key.SourceWorkload, p.Key.DestinationServiceNamespace, p.Key.DestinationServiceName))
                .ToImmutableDictionary(g => g.Key, g => g.GroupBy(p => (p.Key.ResponseCode, p.Key.GrpcResponseStatus))
                    .Select(c => new RequestRate("", c.Key.ResponseCode, c.Key.GrpcResponseStatus, c.Sum(p => p.Value.Count))).ToImmutableArray());
            _history.Add(new CountsAt(now, counts, calls));
            // The first checkpoint (all zero at start) stays while it is within reach, so early windows have a baseline.
            while (_history.Count > 2 && now - _history[1].At > _keep)
            {
                _history.RemoveAt(0);
            }
        }
    }

    private static IEnumerable<BucketRate> Cumulative(string version, IEnumerable<Series> series)
    {
        var counts = new double[BucketBounds.Length + 1];
        foreach (var s in series)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] += s.Buckets[i];
            }
        }
        var running = 0.0;
        for (var i = 0; i < counts.Length; i++)
        {
            running += counts[i];
            yield return new BucketRate(version, i < BucketBounds.Length ? BucketBounds[i] : double.PositiveInfinity, running);
        }
    }

    /// <summary>
    /// Rates over <paramref name="window"/> at each step from <paramref name="end"/> − <paramref name="range"/> to
    /// <paramref name="end"/>, like <c>rate()</c> in a range query but over the checkpoints the ledger kept: the
    /// increase between the checkpoints nearest before each end of the window, divided by the time between them.
    /// </summary>
    public IReadOnlyList<TrafficSample> ReadService(string reporter, string ns, string name, TimeSpan window, DateTimeOffset end, TimeSpan range, TimeSpan step)
    {
        List<CountsAt> history;
        lock (_gate)
        {
            history = [.. _history];
        }
        var key = new ServiceKey(reporter, ns, name);
        var samples = new List<TrafficSample>();
        for (var at = end - range; at <= end; at += step)
        {
            var later = Before(history, at);
            var earlier = later is null ? null : Before(history, at - window) ?? history[0];
            if (later is null || earlier is null || later.At <= earlier.At)
            {
                continue;
            }
            var seconds = (later.At - earlier.At).TotalSeconds;
            var now = later.Counts.GetValueOrDefault(key);
            var then = earlier.Counts.GetValueOrDefault(key);
            samples.Add(new TrafficSample(at,
                [.. Increase(now?.Requests ?? [], then?.Requests ?? [], r => (r.Version, r.ResponseCode, r.GrpcStatus), r => r.PerSecond, (r, d) => r with { PerSecond = d / seconds })],
                [.. Increase(now?.Buckets ?? [], then?.Buckets ?? [], b => (b.Version, b.UpperBound, ""), b => b.PerSecond, (b, d) => b with { PerSecond = d / seconds })]));
        }
        return samples.Count > 0 ? samples : [TrafficSample.Empty(end)];
    }

    /// <summary>Every service's request rates by code and caller over <paramref name="window"/>, as of the last checkpoint.</summary>
    public IReadOnlyList<ServiceRequestRate> ReadMesh(string reporter, TimeSpan window)
    {
        CountsAt later;
        CountsAt earlier;
        lock (_gate)
        {
            later = _history[^1];
            earlier = Before(_history, later.At - window) ?? _history[0];
        }
        if (later.At <= earlier.At)
        {
            return [];
        }
        var seconds = (later.At - earlier.At).TotalSeconds;
        return [.. later.Calls.Where(p => p.Key.Reporter == reporter).SelectMany(p =>
            Increase(p.Value, earlier.Calls.GetValueOrDefault(p.Key, []), r => (r.Version, r.ResponseCode, r.GrpcStatus), r => r.PerSecond, (r, d) => r with { PerSecond = d })
                .Select(r => new ServiceRequestRate(p.Key.Namespace, p.Key.Name, r.ResponseCode, r.GrpcStatus, r.PerSecond / seconds,
                    p.Key.SourceWorkload == IstioLabels.Unknown ? "" : p.Key.SourceWorkload, p.Key.SourceNamespace)))];
    }

    private static CountsAt? Before(List<CountsAt> history, DateTimeOffset at) => history.LastOrDefault(c => c.At <= at);

    private static IEnumerable<T> Increase<T, TKey>(ImmutableArray<T> now, ImmutableArray<T> then, Func<T, TKey> key, Func<T, double> value, Func<T, double, T> with)
        where TKey : notnull
    {
        var before = then.ToDictionary(key, value);
        foreach (var item in now)
        {
            var increase = value(item) - before.GetValueOrDefault(key(item));
            if (increase > 0)
            {
                yield return with(item, increase);
            }
        }
    }

    /// <summary>Prometheus's text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats).</summary>
    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        lock (_gate)
        {
            text.Append("# HELP istio_requests_total Requests handled by the sandbox's simulated Istio proxies.\n");
            text.Append("# TYPE istio_requests_total counter\n");
            foreach (var (labels, series) in _requests)
            {
                text.Append("istio_requests_total").Append(Labels(labels.Pairs())).Append(' ').Append(Number(series.Count)).Append('\n');
            }
            text.Append("# HELP istio_request_duration_milliseconds Duration of requests handled by the sandbox's simulated Istio proxies.\n");
            text.Append("# TYPE istio_request_duration_milliseconds histogram\n");
            foreach (var (labels, series) in _requests)
            {
                var pairs = labels.Pairs().ToList();
                var running = 0L;
                for (var i = 0; i <= BucketBounds.Length; i++)
                {
                    running += series.Buckets[i];
                    var bound = i < BucketBounds.Length ? Number(BucketBounds[i]) : "+Inf";
                    text.Append("istio_request_duration_milliseconds_bucket").Append(Labels([.. pairs, ("le", bound)])).Append(' ').Append(running).Append('\n');
                }
                text.Append("istio_request_duration_milliseconds_sum").Append(Labels(pairs)).Append(' ').Append(Number(series.SumMs)).Append('\n');
                text.Append("istio_request_duration_milliseconds_count").Append(Labels(pairs)).Append(' ').Append(Number(series.Count)).Append('\n');
            }
            text.Append("# HELP meshdashboard_sandbox_shadow_requests_total Mirrored (shadow) requests the sandbox's pods received; their answers are discarded.\n");
            text.Append("# TYPE meshdashboard_sandbox_shadow_requests_total counter\n");
            foreach (var ((service, ns, version), count) in _shadows)
            {
                text.Append("meshdashboard_sandbox_shadow_requests_total")
                    .Append(Labels([("destination_service", service), ("destination_service_namespace", ns), ("destination_version", version)]))
                    .Append(' ').Append(Number(count)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string Labels(IEnumerable<(string Name, string Value)> pairs) =>
        "{" + string.Join(",", pairs.Select(p => $"{p.Name}=\"{Escape(p.Value)}\"")) + "}";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Series
    {
        public double Count;
        public double SumMs;
        public readonly long[] Buckets = new long[BucketBounds.Length + 1];
    }

    private readonly record struct ServiceKey(string Reporter, string Namespace, string Name);

    private sealed record ServiceCounts(ImmutableArray<RequestRate> Requests, ImmutableArray<BucketRate> Buckets);

    /// <summary>Requests of one caller workload to one service, as the mesh-wide read (and the mesh map) groups them.</summary>
    private readonly record struct CallKey(string Reporter, string SourceNamespace, string SourceWorkload, string Namespace, string Name);

    private sealed record CountsAt(DateTimeOffset At, ImmutableDictionary<ServiceKey, ServiceCounts> Counts, ImmutableDictionary<CallKey, ImmutableArray<RequestRate>> Calls);
}
