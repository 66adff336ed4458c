using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>A partial update of outlier detection: each field is kept, removed or set (see <see cref="Patch{T}"/>).</summary>
public sealed record OutlierDetectionSettings(
    Patch<int> Consecutive5xxErrors = default,
    Patch<int> ConsecutiveGatewayErrors = default,
    Patch<string> Interval = default,
    Patch<string> BaseEjectionTime = default,
    Patch<int> MaxEjectionPercent = default,
    Patch<int> MinHealthPercent = default);

/// <summary>A partial update of the connection pool limits we model (tcp.* and http.*); other pool fields stay.</summary>
public sealed record ConnectionPoolSettings(
    Patch<int> MaxConnections = default,
    Patch<string> ConnectTimeout = default,
    Patch<int> Http1MaxPendingRequests = default,
    Patch<int> Http2MaxRequests = default,
    Patch<int> MaxRequestsPerConnection = default,
    Patch<int> MaxRetries = default);

/// <summary>
/// A partial update of a traffic policy, with JSON merge-patch meaning: a part or field left out (Keep, the default)
/// stays exactly as it is; Remove deletes it; Set writes it. <see cref="OutlierDetection"/> Remove deletes the whole
/// outlierDetection; <see cref="ConnectionPool"/> Remove deletes the six modelled limits (other pool fields such as
/// tcp.tcpKeepalive stay); <see cref="LoadBalancer"/> is loadBalancer.simple (a consistentHash stays unless a simple
/// balancer is set, since the two are one-of); <see cref="TlsMode"/> is tls.mode (sni and certificates stay).
/// </summary>
public sealed record TrafficPolicySettings(
    Patch<OutlierDetectionSettings> OutlierDetection = default,
    Patch<ConnectionPoolSettings> ConnectionPool = default,
    Patch<string> LoadBalancer = default,
    Patch<string> TlsMode = default);

/// <summary>
/// Sets the modelled traffic policy fields of the service's DestinationRule, DR-wide or for one subset, as a partial
/// update: what the settings leave out is kept. Unknown sub-fields and portLevelSettings are kept. Deprecated fields
/// are migrated with their meaning (see <see cref="DeprecatedFields"/>); LEAST_CONN becomes LEAST_REQUEST.
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
        // Objects that are empty before the edit ("trafficPolicy: {}", "outlierDetection: {}") are someone's choice;
        // only objects this edit empties are removed.
        var emptyBefore = new HashSet<JsonObject>(EmptyObjects(policy), ReferenceEqualityComparer.Instance);
        Apply(policy, emptyBefore);
        SetObject(owner, "trafficPolicy", policy, emptyBefore);
        var scope = Subset is null ? "all subsets" : $"subset {Subset}";
        return ServiceContext.Build($"{context.Name}: traffic policy for {scope}", [new ObjectChange(dr.Source.Ref, dr.Source, raw)]);
    }

    private static IEnumerable<JsonObject> EmptyObjects(JsonNode? node) => node switch
    {
        JsonObject { Count: 0 } empty => [empty],
        JsonObject obj => obj.SelectMany(p => EmptyObjects(p.Value)),
        _ => [],
    };

    private void Apply(JsonObject policy, HashSet<JsonObject> emptyBefore)
    {
        switch (Policy.OutlierDetection.Kind)
        {
            case PatchKind.Remove:
                policy.Remove("outlierDetection");
                break;
            case PatchKind.Set:
                var outlier = policy["outlierDetection"] as JsonObject ?? [];
                // Before any edit, so the fields the person sets win over the migrated ones.
                DeprecatedFields.MigrateOutlierDetection(outlier);
                var o = Policy.OutlierDetection.Value!;
                Apply(outlier, "consecutive5xxErrors", o.Consecutive5xxErrors);
                Apply(outlier, "consecutiveGatewayErrors", o.ConsecutiveGatewayErrors);
                Apply(outlier, "interval", o.Interval);
                Apply(outlier, "baseEjectionTime", o.BaseEjectionTime);
                Apply(outlier, "maxEjectionPercent", o.MaxEjectionPercent);
                Apply(outlier, "minHealthPercent", o.MinHealthPercent);
                SetObject(policy, "outlierDetection", outlier, emptyBefore);
                break;
        }

        if (Policy.ConnectionPool.Kind != PatchKind.Keep)
        {
            // Remove is a patch that removes each modelled limit.
            var p = Policy.ConnectionPool.Value ?? new ConnectionPoolSettings(
                Patch<int>.Remove, Patch<string>.Remove, Patch<int>.Remove, Patch<int>.Remove, Patch<int>.Remove, Patch<int>.Remove);
            var pool = policy["connectionPool"] as JsonObject ?? [];
            var tcp = pool["tcp"] as JsonObject ?? [];
            var http = pool["http"] as JsonObject ?? [];
            Apply(tcp, "maxConnections", p.MaxConnections);
            Apply(tcp, "connectTimeout", p.ConnectTimeout);
            Apply(http, "http1MaxPendingRequests", p.Http1MaxPendingRequests);
            Apply(http, "http2MaxRequests", p.Http2MaxRequests);
            Apply(http, "maxRequestsPerConnection", p.MaxRequestsPerConnection);
            Apply(http, "maxRetries", p.MaxRetries);
            SetObject(pool, "tcp", tcp, emptyBefore);
            SetObject(pool, "http", http, emptyBefore);
            SetObject(policy, "connectionPool", pool, emptyBefore);
        }

        if (Policy.LoadBalancer.Kind != PatchKind.Keep)
        {
            var lb = policy["loadBalancer"] as JsonObject ?? [];
            if (Policy.LoadBalancer.IsSet)
            {
                // simple and consistentHash are one-of: choosing a simple balancer replaces a consistent hash.
                lb.Remove("consistentHash");
                lb["simple"] = Policy.LoadBalancer.Value == "LEAST_CONN" ? "LEAST_REQUEST" : Policy.LoadBalancer.Value;
            }
            else
            {
                lb.Remove("simple");
            }
            SetObject(policy, "loadBalancer", lb, emptyBefore);
        }

        if (Policy.TlsMode.Kind != PatchKind.Keep)
        {
            var tls = policy["tls"] as JsonObject ?? [];
            Apply(tls, "mode", Policy.TlsMode);
            SetObject(policy, "tls", tls, emptyBefore);
        }
    }

    private static void Apply(JsonObject obj, string property, Patch<int> patch) => Apply(obj, property, patch, value => value);

    private static void Apply(JsonObject obj, string property, Patch<string> patch) => Apply(obj, property, patch, value => value);

    private static void Apply<T>(JsonObject obj, string property, Patch<T> patch, Func<T, JsonNode> toJson)
    {
        switch (patch.Kind)
        {
            case PatchKind.Remove:
                obj.Remove(property);
                break;
            case PatchKind.Set:
                obj[property] = toJson(patch.Value!);
                break;
        }
    }

    /// <summary>
    /// Puts a child object in place, or removes it when this edit left nothing in it (so Istio's default applies).
    /// An object that was empty already stays as written, and an empty object is never added.
    /// </summary>
    private static void SetObject(JsonObject parent, string property, JsonObject child, HashSet<JsonObject> emptyBefore)
    {
        if (child.Count == 0)
        {
            if (!(ReferenceEquals(parent[property], child) && emptyBefore.Contains(child)))
            {
                parent.Remove(property);
            }
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
        if (policy.OutlierDetection.Value is { } o)
        {
            NonNegative(o.Consecutive5xxErrors, "outlierDetection.consecutive5xxErrors", errors);
            NonNegative(o.ConsecutiveGatewayErrors, "outlierDetection.consecutiveGatewayErrors", errors);
            Durations.Validate(o.Interval.Value, "outlierDetection.interval", errors);
            Durations.Validate(o.BaseEjectionTime.Value, "outlierDetection.baseEjectionTime", errors);
            Percent(o.MaxEjectionPercent, "outlierDetection.maxEjectionPercent", errors);
            Percent(o.MinHealthPercent, "outlierDetection.minHealthPercent", errors);
        }
        if (policy.ConnectionPool.Value is { } p)
        {
            NonNegative(p.MaxConnections, "connectionPool.maxConnections", errors);
            Durations.Validate(p.ConnectTimeout.Value, "connectionPool.connectTimeout", errors);
            NonNegative(p.Http1MaxPendingRequests, "connectionPool.http1MaxPendingRequests", errors);
            NonNegative(p.Http2MaxRequests, "connectionPool.http2MaxRequests", errors);
            NonNegative(p.MaxRequestsPerConnection, "connectionPool.maxRequestsPerConnection", errors);
            NonNegative(p.MaxRetries, "connectionPool.maxRetries", errors);
        }
        if (policy.LoadBalancer.Value is { } lb && !LoadBalancers.Contains(lb))
        {
            errors.Add(new FieldError("loadBalancer", $"\"{lb}\" is not a load balancer; use ROUND_ROBIN, LEAST_REQUEST, RANDOM or PASSTHROUGH"));
        }
        if (policy.TlsMode.Value is { } tls && !TlsModes.Contains(tls))
        {
            errors.Add(new FieldError("tlsMode", $"\"{tls}\" is not a TLS mode; use DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL"));
        }
        return errors;
    }

    private static void NonNegative(Patch<int> value, string field, List<FieldError> errors)
    {
        if (value.IsSet && value.Value < 0)
        {
            errors.Add(new FieldError(field, $"{value.Value} is negative; it must be 0 or more"));
        }
    }

    private static void Percent(Patch<int> value, string field, List<FieldError> errors)
    {
        if (value.IsSet && value.Value is < 0 or > 100)
        {
            errors.Add(new FieldError(field, $"{value.Value} is outside 0..100"));
        }
    }
}
