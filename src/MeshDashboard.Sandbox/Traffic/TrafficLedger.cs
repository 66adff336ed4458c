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
/// <remarks>
/// The history is what grows: a generated mesh of 5,000 services has some 25,000 label sets, and a checkpoint kept as
/// records per service cost 15 MB (hours of them, gigabytes). A checkpoint is therefore one array of counter values, a
/// "cell" per label set's count and per histogram bucket that ever counted a request (most buckets never do), and the
/// checkpoints thin out with age (<see cref="Tiers"/>). Cells hold the counters modulo 2^32: a rate is read from the
/// difference of two checkpoints, exact while fewer than 4 billion requests of one cell fall between them.
/// </remarks>
public sealed class TrafficLedger
{
    /// <summary>Envoy's default histogram bounds (source/common/stats/histogram_impl.cc), which Istio's duration histogram uses.</summary>
    public static readonly ImmutableArray<double> BucketBounds =
        [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    /// <summary>
    /// How far apart kept checkpoints are by their age: every one while a window read near now needs them (the shortest
    /// window is 10 s), one per default sparkline step (30 s) while a sparkline reaches them, then one per five minutes
    /// for long windows, whose rates are averages over a span that moves by at most that much.
    /// </summary>
    internal static readonly (TimeSpan YoungerThan, TimeSpan Spacing)[] Tiers =
    [
        (TimeSpan.FromMinutes(2), TimeSpan.Zero),
        (TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(30)),
        (TimeSpan.MaxValue, TimeSpan.FromMinutes(5)),
    ];

    private readonly Lock _gate = new();
    private readonly Dictionary<IstioLabels, Series> _requests = [];
    private readonly Dictionary<ServiceKey, List<Series>> _byService = [];
    private readonly Dictionary<(string Service, string Namespace, string Version), double> _shadows = [];
    private List<CountsAt> _history = [];
    private readonly TimeSpan _keep;
    private readonly TimeSpan _checkpointEvery;
    private int _cells;

    public TrafficLedger(DateTimeOffset start, TimeSpan keep, TimeSpan checkpointEvery)
    {
        _keep = keep;
        _checkpointEvery = checkpointEvery;
        _history.Add(new CountsAt(start, []));
    }

    public void Record(IstioLabels labels, double durationMs)
    {
        lock (_gate)
        {
            if (!_requests.TryGetValue(labels, out var series))
            {
                series = new Series(labels, _cells++);
                _requests[labels] = series;
                var key = new ServiceKey(labels.Reporter, labels.DestinationServiceNamespace, labels.DestinationServiceName);
                if (!_byService.TryGetValue(key, out var ofService))
                {
                    ofService = [];
                    _byService[key] = ofService;
                }
                ofService.Add(series);
            }
            series.Count++;
            series.SumMs += durationMs;
            var bucket = BucketBounds.IndexOf(BucketBounds.FirstOrDefault(b => durationMs <= b, double.NaN));
            bucket = bucket < 0 ? BucketBounds.Length : bucket;
            if (series.Buckets[bucket]++ == 0)
            {
                series.BucketCells[bucket] = _cells++;
            }
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
            var cells = new uint[_cells];
            foreach (var series in _requests.Values)
            {
                cells[series.CountCell] = unchecked((uint)(ulong)series.Count);
                for (var i = 0; i < series.Buckets.Length; i++)
                {
                    if (series.Buckets[i] > 0)
                    {
                        cells[series.BucketCells[i]] = unchecked((uint)series.Buckets[i]);
                    }
                }
            }
            _history.Add(new CountsAt(now, cells));
            // The first checkpoint (all zero at start) stays while it is within reach, so early windows have a baseline.
            while (_history.Count > 2 && now - _history[1].At > _keep)
            {
                _history.RemoveAt(0);
            }
            _history = Thinned(_history, now);
        }
    }

    /// <summary>How many checkpoints the history holds now.</summary>
    internal int CheckpointsKept
    {
        get
        {
            lock (_gate)
            {
                return _history.Count;
            }
        }
    }

    /// <summary>The checkpoints spaced as <see cref="Tiers"/> says for their age; the oldest (the baseline) and the newest stay.</summary>
    private static List<CountsAt> Thinned(List<CountsAt> history, DateTimeOffset now)
    {
        var kept = new List<CountsAt>(history.Count) { history[0] };
        for (var i = 1; i < history.Count - 1; i++)
        {
            var age = now - history[i].At;
            var spacing = Tiers.First(t => age < t.YoungerThan).Spacing;
            if (history[i].At - kept[^1].At >= spacing)
            {
                kept.Add(history[i]);
            }
        }
        if (history.Count > 1)
        {
            kept.Add(history[^1]);
        }
        return kept;
    }

    /// <summary>
    /// Rates over <paramref name="window"/> at each step from <paramref name="end"/> − <paramref name="range"/> to
    /// <paramref name="end"/>, like <c>rate()</c> in a range query but over the checkpoints the ledger kept: the
    /// increase between the checkpoints nearest before each end of the window, divided by the time between them.
    /// </summary>
    public IReadOnlyList<TrafficSample> ReadService(string reporter, string ns, string name, TimeSpan window, DateTimeOffset end, TimeSpan range, TimeSpan step)
    {
        lock (_gate)
        {
            var series = _byService.GetValueOrDefault(new ServiceKey(reporter, ns, name)) ?? [];
            var samples = new List<TrafficSample>();
            for (var at = end - range; at <= end; at += step)
            {
                var later = Before(_history, at);
                var earlier = later is null ? null : Before(_history, at - window) ?? _history[0];
                if (later is null || earlier is null || later.At <= earlier.At)
                {
                    continue;
                }
                var seconds = (later.At - earlier.At).TotalSeconds;
                samples.Add(new TrafficSample(at, RequestRates(series, later, earlier, seconds), BucketRates(series, later, earlier, seconds)));
            }
            return samples.Count > 0 ? samples : [TrafficSample.Empty(end)];
        }
    }

    // Requests by (version, code, gRPC status), summed over the label sets that differ only in what else they name.
    private static ImmutableArray<RequestRate> RequestRates(List<Series> series, CountsAt later, CountsAt earlier, double seconds)
    {
        var increases = new Dictionary<(string Version, string Code, string Grpc), double>();
        foreach (var s in series)
        {
            var increase = Increase(later, earlier, s.CountCell);
            if (increase > 0)
            {
                var key = (s.Labels.DestinationVersion, s.Labels.ResponseCode, s.Labels.GrpcResponseStatus);
                increases[key] = increases.GetValueOrDefault(key) + increase;
            }
        }
        return [.. increases.Select(p => new RequestRate(p.Key.Version, p.Key.Code, p.Key.Grpc, p.Value / seconds))];
    }

    // The duration histogram per version, cumulative as Prometheus's le buckets are; buckets that saw nothing are left out.
    private static ImmutableArray<BucketRate> BucketRates(List<Series> series, CountsAt later, CountsAt earlier, double seconds)
    {
        var rates = ImmutableArray.CreateBuilder<BucketRate>();
        foreach (var version in series.GroupBy(s => s.Labels.DestinationVersion))
        {
            var running = 0.0;
            for (var i = 0; i <= BucketBounds.Length; i++)
            {
                running += version.Sum(s => s.BucketCells[i] < 0 ? 0 : Increase(later, earlier, s.BucketCells[i]));
                if (running > 0)
                {
                    rates.Add(new BucketRate(version.Key, i < BucketBounds.Length ? BucketBounds[i] : double.PositiveInfinity, running / seconds));
                }
            }
        }
        return rates.ToImmutable();
    }

    /// <summary>Every service's request rates by code and caller over <paramref name="window"/>, as of the last checkpoint.</summary>
    public IReadOnlyList<ServiceRequestRate> ReadMesh(string reporter, TimeSpan window)
    {
        lock (_gate)
        {
            var later = _history[^1];
            var earlier = Before(_history, later.At - window) ?? _history[0];
            if (later.At <= earlier.At)
            {
                return [];
            }
            var seconds = (later.At - earlier.At).TotalSeconds;
            var increases = new Dictionary<(string SourceNamespace, string SourceWorkload, string Namespace, string Name, string Code, string Grpc), double>();
            foreach (var series in _requests.Values)
            {
                var labels = series.Labels;
                var increase = labels.Reporter == reporter ? Increase(later, earlier, series.CountCell) : 0;
                if (increase > 0)
                {
                    var key = (labels.SourceWorkloadNamespace, labels.SourceWorkload, labels.DestinationServiceNamespace, labels.DestinationServiceName, labels.ResponseCode, labels.GrpcResponseStatus);
                    increases[key] = increases.GetValueOrDefault(key) + increase;
                }
            }
            return [.. increases.Select(p => new ServiceRequestRate(p.Key.Namespace, p.Key.Name, p.Key.Code, p.Key.Grpc, p.Value / seconds,
                p.Key.SourceWorkload == IstioLabels.Unknown ? "" : p.Key.SourceWorkload, p.Key.SourceNamespace))];
        }
    }

    private static CountsAt? Before(List<CountsAt> history, DateTimeOffset at) => history.LastOrDefault(c => c.At <= at);

    // A cell created after a checkpoint was zero then; the difference modulo 2^32 is the increase (see the remarks).
    private static double Increase(CountsAt later, CountsAt earlier, int cell) =>
        unchecked((cell < later.Cells.Length ? later.Cells[cell] : 0u) - (cell < earlier.Cells.Length ? earlier.Cells[cell] : 0u));

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

    /// <summary>One label set's counters, and the cells its count and its buckets (once they count) are kept in.</summary>
    private sealed class Series(IstioLabels labels, int countCell)
    {
        public IstioLabels Labels { get; } = labels;

        public int CountCell { get; } = countCell;

        public readonly int[] BucketCells = [.. Enumerable.Repeat(-1, BucketBounds.Length + 1)];
        public double Count;
        public double SumMs;
        public readonly long[] Buckets = new long[BucketBounds.Length + 1];
    }

    private readonly record struct ServiceKey(string Reporter, string Namespace, string Name);

    /// <summary>The counters at one instant, by cell (see <see cref="Series"/>).</summary>
    private sealed record CountsAt(DateTimeOffset At, uint[] Cells);
}
