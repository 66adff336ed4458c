namespace MeshDashboard.Cluster.Metrics;

/// <summary>
/// Configuration section <c>Metrics</c>: where live traffic figures come from. The connection settings follow Kiali's
/// <c>external_services.prometheus</c> (url, bearer token or basic auth, a custom CA, skipping verification).
/// </summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Prometheus's base URL, e.g. <c>http://prometheus.istio-system:9090</c>. Unset: the sandbox's own figures in Sandbox mode, none otherwise.</summary>
    public string? PrometheusUrl { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer</c>.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Read at every request, as a projected service-account token rotates.</summary>
    public string? BearerTokenFile { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>A PEM file with the CA (or the self-signed certificate) that Prometheus's TLS certificate chains to.</summary>
    public string? CaFile { get; set; }

    /// <summary>Accept any server certificate. Only for a test setup; prefer <see cref="CaFile"/>.</summary>
    public bool InsecureSkipVerify { get; set; }

    /// <summary>Which proxy's report to read: <c>destination</c> (the receiving sidecar, Istio's and Kiali's default) or <c>source</c>.</summary>
    public string Reporter { get; set; } = "destination";

    /// <summary>How long figures are shared before they are read again; every page open on a service shares one read per interval.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a page waits for Prometheus before it shows "no data" (the read goes on and fills the cache).</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many services are read from Prometheus per refresh interval, however many pages ask.</summary>
    public int MaxServicesPerRefresh { get; set; } = 50;

    /// <summary>How far back the sparklines go.</summary>
    public TimeSpan SeriesRange { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The distance between two sparkline points.</summary>
    public TimeSpan SeriesStep { get; set; } = TimeSpan.FromSeconds(30);
}
