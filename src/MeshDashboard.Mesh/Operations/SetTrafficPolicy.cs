using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>Outlier detection as we write it; a null field is removed (Istio's default applies).</summary>
public sealed record OutlierDetectionSettings(
    int? Consecutive5xxErrors = null,
    int? ConsecutiveGatewayErrors = null,
    string? Interval = null,
    string? BaseEjectionTime = null,
    int? MaxEjectionPercent = null,
    int? MinHealthPercent = null);

/// <summary>Connection pool limits as we write them; a null field is removed.</summary>
public sealed record ConnectionPoolSettings(
    int? MaxConnections = null,
    string? ConnectTimeout = null,
    int? Http1MaxPendingRequests = null,
    int? Http2MaxRequests = null,
    int? MaxRequestsPerConnection = null,
    int? MaxRetries = null);

/// <summary>
/// The traffic policy fields MeshDashboard edits. A null part removes what we model of it: a null
/// <see cref="OutlierDetection"/> removes outlierDetection; a null <see cref="ConnectionPool"/> removes the six modelled
/// limits (other pool fields such as tcp.tcpKeepalive stay); a null <see cref="LoadBalancer"/> removes
/// loadBalancer.simple (a consistentHash stays); a null <see cref="TlsMode"/> removes tls.mode (sni etc. stay).
/// </summary>
public sealed record TrafficPolicySettings(
    OutlierDetectionSettings? OutlierDetection = null,
    ConnectionPoolSettings? ConnectionPool = null,
    string? LoadBalancer = null,
    string? TlsMode = null);

/// <summary>
/// Sets the modelled traffic policy fields of the service's DestinationRule, DR-wide or for one subset.
/// Unknown sub-fields and portLevelSettings are kept; deprecated consecutiveErrors becomes consecutive5xxErrors and
/// LEAST_CONN becomes LEAST_REQUEST.
/// </summary>
public sealed record SetTrafficPolicy(ObjectRef Service, string? Subset, TrafficPolicySettings Policy) : ITrafficOperation
{
    private static readonly HashSet<string> LoadBalancers = ["ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "PASSTHROUGH", "LEAST_CONN"];
    private static readonly HashSet<string> TlsModes = ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"];

    public ChangePlan Plan(MeshSnapshot snapshot)
    {
        var context = ServiceContext.For(snapshot, Service);
        var errors = new List<FieldError>();
        errors.AddRange(Check(Subset, Policy));
        var dr = Subset is null
            ? context.DestinationRules.FirstOrDefault()
            : context.DestinationRules.FirstOrDefault(d => d.Subsets.Any(s => s.Name == Subset));
        if (context.DestinationRules.IsEmpty)
        {
            errors.Add(new FieldError("service", $"{context.Name} has no DestinationRule; create routing first"));
        }
        else if (dr is null)
        {
            errors.Add(new FieldError("subset", $"subset \"{Subset}\" is not defined in a DestinationRule for {context.Name}"));
        }
        ServiceContext.ThrowIfAny(errors);

        var raw = dr!.Source.CloneRaw();
        var spec = raw.GetOrAddObject("spec");
        var owner = Subset is null
            ? spec
            : spec.Arr("subsets")!.OfType<JsonObject>().First(s => s.Str("name") == Subset);
        var policy = owner["trafficPolicy"] as JsonObject ?? [];
        Apply(policy);
        if (policy.Count == 0)
        {
            owner.Remove("trafficPolicy");
        }
        else
        {
            owner["trafficPolicy"] = policy;
        }
        var scope = Subset is null ? "all subsets" : $"subset {Subset}";
        return ServiceContext.Build($"{context.Name}: traffic policy for {scope}", [new ObjectChange(dr.Source.Ref, dr.Source, raw)]);
    }

    private void Apply(JsonObject policy)
    {
        if (Policy.OutlierDetection is { } o)
        {
            var outlier = policy.GetOrAddObject("outlierDetection");
            outlier.Remove("consecutiveErrors");
            Set(outlier, "consecutive5xxErrors", o.Consecutive5xxErrors);
            Set(outlier, "consecutiveGatewayErrors", o.ConsecutiveGatewayErrors);
            Set(outlier, "interval", o.Interval);
            Set(outlier, "baseEjectionTime", o.BaseEjectionTime);
            Set(outlier, "maxEjectionPercent", o.MaxEjectionPercent);
            Set(outlier, "minHealthPercent", o.MinHealthPercent);
        }
        else
        {
            policy.Remove("outlierDetection");
        }

        var p = Policy.ConnectionPool ?? new ConnectionPoolSettings();
        var pool = policy["connectionPool"] as JsonObject ?? [];
        var tcp = pool["tcp"] as JsonObject ?? [];
        var http = pool["http"] as JsonObject ?? [];
        Set(tcp, "maxConnections", p.MaxConnections);
        Set(tcp, "connectTimeout", p.ConnectTimeout);
        Set(http, "http1MaxPendingRequests", p.Http1MaxPendingRequests);
        Set(http, "http2MaxRequests", p.Http2MaxRequests);
        Set(http, "maxRequestsPerConnection", p.MaxRequestsPerConnection);
        Set(http, "maxRetries", p.MaxRetries);
        SetObject(pool, "tcp", tcp);
        SetObject(pool, "http", http);
        SetObject(policy, "connectionPool", pool);

        var lb = policy["loadBalancer"] as JsonObject ?? [];
        if (Policy.LoadBalancer is { } simple)
        {
            // simple and consistentHash are one-of: choosing a simple balancer replaces a consistent hash.
            lb.Remove("consistentHash");
            lb["simple"] = simple == "LEAST_CONN" ? "LEAST_REQUEST" : simple;
        }
        else
        {
            lb.Remove("simple");
        }
        SetObject(policy, "loadBalancer", lb);

        var tls = policy["tls"] as JsonObject ?? [];
        Set(tls, "mode", Policy.TlsMode);
        SetObject(policy, "tls", tls);
    }

    private static void Set(JsonObject obj, string property, int? value)
    {
        if (value is null)
        {
            obj.Remove(property);
        }
        else
        {
            obj[property] = value.Value;
        }
    }

    private static void Set(JsonObject obj, string property, string? value)
    {
        if (value is null)
        {
            obj.Remove(property);
        }
        else
        {
            obj[property] = value;
        }
    }

    /// <summary>Puts a child object in place, or removes it when nothing is left in it.</summary>
    private static void SetObject(JsonObject parent, string property, JsonObject child)
    {
        if (child.Count == 0)
        {
            parent.Remove(property);
        }
        else if (!ReferenceEquals(parent[property], child))
        {
            parent[property] = child;
        }
    }

    /// <summary>The checks of the input alone (no cluster state); also what the circuit breaker form shows while typing.</summary>
    public static IReadOnlyList<FieldError> Check(string? subset, TrafficPolicySettings policy)
    {
        var errors = new List<FieldError>();
        if (subset is not null && string.IsNullOrWhiteSpace(subset))
        {
            errors.Add(new FieldError("subset", "a subset name is empty; leave it out for the whole DestinationRule"));
        }
        if (policy.OutlierDetection is { } o)
        {
            NonNegative(o.Consecutive5xxErrors, "outlierDetection.consecutive5xxErrors", errors);
            NonNegative(o.ConsecutiveGatewayErrors, "outlierDetection.consecutiveGatewayErrors", errors);
            Durations.Validate(o.Interval, "outlierDetection.interval", errors);
            Durations.Validate(o.BaseEjectionTime, "outlierDetection.baseEjectionTime", errors);
            Percent(o.MaxEjectionPercent, "outlierDetection.maxEjectionPercent", errors);
            Percent(o.MinHealthPercent, "outlierDetection.minHealthPercent", errors);
        }
        if (policy.ConnectionPool is { } p)
        {
            NonNegative(p.MaxConnections, "connectionPool.maxConnections", errors);
            Durations.Validate(p.ConnectTimeout, "connectionPool.connectTimeout", errors);
            NonNegative(p.Http1MaxPendingRequests, "connectionPool.http1MaxPendingRequests", errors);
            NonNegative(p.Http2MaxRequests, "connectionPool.http2MaxRequests", errors);
            NonNegative(p.MaxRequestsPerConnection, "connectionPool.maxRequestsPerConnection", errors);
            NonNegative(p.MaxRetries, "connectionPool.maxRetries", errors);
        }
        if (policy.LoadBalancer is { } lb && !LoadBalancers.Contains(lb))
        {
            errors.Add(new FieldError("loadBalancer", $"\"{lb}\" is not a load balancer; use ROUND_ROBIN, LEAST_REQUEST, RANDOM or PASSTHROUGH"));
        }
        if (policy.TlsMode is { } tls && !TlsModes.Contains(tls))
        {
            errors.Add(new FieldError("tlsMode", $"\"{tls}\" is not a TLS mode; use DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL"));
        }
        return errors;
    }

    private static void NonNegative(int? value, string field, List<FieldError> errors)
    {
        if (value < 0)
        {
            errors.Add(new FieldError(field, $"{value} is negative; it must be 0 or more"));
        }
    }

    private static void Percent(int? value, string field, List<FieldError> errors)
    {
        if (value is < 0 or > 100)
        {
            errors.Add(new FieldError(field, $"{value} is outside 0..100"));
        }
    }
}
