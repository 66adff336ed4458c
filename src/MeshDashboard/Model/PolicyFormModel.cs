using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Model;

/// <summary>
/// The circuit breaker form: outlier detection, connection pool, load balancer and TLS mode of the service's
/// DestinationRule, service-wide (<see cref="Scope"/> null) or for one subset. An empty field means Istio's default.
/// </summary>
public sealed record PolicyFormModel : IValidatedForm
{
    public const string ServiceWide = "";

    public static ImmutableArray<string> LoadBalancers { get; } = ["ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "PASSTHROUGH"];

    public static ImmutableArray<string> TlsModes { get; } = ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"];

    public required ImmutableArray<string> Subsets { get; init; }

    public bool HasDestinationRule { get; init; } = true;

    /// <summary>Null for the whole DestinationRule, else the subset.</summary>
    public string? Scope { get; init; }

    public int? Consecutive5xxErrors { get; init; }

    /// <summary>
    /// The deprecated field as read. It means gateway errors only with 5xx errors off, so the form shows it as
    /// consecutiveGatewayErrors with consecutive5xxErrors 0, and applying writes exactly that.
    /// </summary>
    public long? DeprecatedConsecutiveErrors { get; init; }

    public int? ConsecutiveGatewayErrors { get; init; }

    public string? Interval { get; init; }

    public string? BaseEjectionTime { get; init; }

    public int? MaxEjectionPercent { get; init; }

    public int? MinHealthPercent { get; init; }

    public int? MaxConnections { get; init; }

    public string? ConnectTimeout { get; init; }

    public int? Http1MaxPendingRequests { get; init; }

    public int? Http2MaxRequests { get; init; }

    public int? MaxRequestsPerConnection { get; init; }

    public int? MaxRetries { get; init; }

    public string? LoadBalancer { get; init; }

    public string? TlsMode { get; init; }

    public static PolicyFormModel From(MeshService service, string? scope = null)
    {
        var subsets = service.Subsets.Select(s => s.Name).Distinct().ToImmutableArray();
        var dr = service.DestinationRules.FirstOrDefault();
        var policy = scope is null
            ? dr?.TrafficPolicy
            : service.DestinationRules.SelectMany(d => d.Subsets).FirstOrDefault(s => s.Name == scope)?.TrafficPolicy;
        return Load(new PolicyFormModel { Subsets = subsets, HasDestinationRule = dr is not null, Scope = scope }, policy);
    }

    private static PolicyFormModel Load(PolicyFormModel model, TrafficPolicyView? policy)
    {
        var o = policy?.OutlierDetection;
        var p = policy?.ConnectionPool;
        return model with
        {
            Consecutive5xxErrors = Int(o?.Consecutive5xxErrors ?? (o?.ConsecutiveErrors > 0 ? 0 : null)),
            DeprecatedConsecutiveErrors = o?.ConsecutiveErrors,
            ConsecutiveGatewayErrors = Int(o?.ConsecutiveGatewayErrors ?? (o?.ConsecutiveErrors > 0 ? o.ConsecutiveErrors : null)),
            Interval = o?.Interval,
            BaseEjectionTime = o?.BaseEjectionTime,
            MaxEjectionPercent = Int(o?.MaxEjectionPercent),
            MinHealthPercent = Int(o?.MinHealthPercent),
            MaxConnections = Int(p?.MaxConnections),
            ConnectTimeout = p?.ConnectTimeout,
            Http1MaxPendingRequests = Int(p?.Http1MaxPendingRequests),
            Http2MaxRequests = Int(p?.Http2MaxRequests),
            MaxRequestsPerConnection = Int(p?.MaxRequestsPerConnection),
            MaxRetries = Int(p?.MaxRetries),
            LoadBalancer = policy?.LoadBalancer == "LEAST_CONN" ? "LEAST_REQUEST" : policy?.LoadBalancer,
            TlsMode = policy?.TlsMode,
        };
    }

    private static int? Int(long? value) => value is null ? null : (int)Math.Clamp(value.Value, int.MinValue, int.MaxValue);

    /// <summary>
    /// Errors by form field ("interval", "maxConnections", ...): the operation's own checks, so what shows while typing
    /// is what preview would say.
    /// </summary>
    public ImmutableDictionary<string, string> Validate()
    {
        var errors = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var error in SetTrafficPolicy.Check(null, Settings))
        {
            // "outlierDetection.interval" is the form's "interval".
            errors.TryAdd(error.Field[(error.Field.IndexOf('.', StringComparison.Ordinal) + 1)..], error.Message);
        }
        return errors.ToImmutable();
    }

    public SetTrafficPolicy ToOperation(ObjectRef service) => new(service, Scope, Settings);

    /// <summary>
    /// The form shows every field it edits, so each one is set to what it shows: a value is written, an empty field
    /// removed (Istio's default). Fields the form does not show are kept by the operation.
    /// </summary>
    private TrafficPolicySettings Settings => new(
            new OutlierDetectionSettings(Patch.SetOrRemove(Consecutive5xxErrors), Patch.SetOrRemove(ConsecutiveGatewayErrors), Patch.SetOrRemove(Interval),
                Patch.SetOrRemove(BaseEjectionTime), Patch.SetOrRemove(MaxEjectionPercent), Patch.SetOrRemove(MinHealthPercent)),
            new ConnectionPoolSettings(Patch.SetOrRemove(MaxConnections), Patch.SetOrRemove(ConnectTimeout), Patch.SetOrRemove(Http1MaxPendingRequests),
                Patch.SetOrRemove(Http2MaxRequests), Patch.SetOrRemove(MaxRequestsPerConnection), Patch.SetOrRemove(MaxRetries)),
            Patch.SetOrRemove(LoadBalancer),
            Patch.SetOrRemove(TlsMode));
}
