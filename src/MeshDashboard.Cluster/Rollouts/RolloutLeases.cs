using k8s;
using k8s.Models;
using MeshDashboard.Cluster.Changes;

namespace MeshDashboard.Cluster.Rollouts;

/// <summary>
/// One <c>coordination.k8s.io/v1</c> Lease per rollout, as controllers elect a leader (client-go's leaderelection): the
/// holder renews it every tick; another replica takes it over only after it saw the same record unchanged for the
/// whole lease duration by its own clock (never by comparing the holder's timestamps with its clock, so clock skew
/// between nodes does not matter). Every write is guarded by the Lease's resourceVersion, so of two replicas trying at
/// once exactly one wins.
/// </summary>
public sealed class RolloutLeases(IKubernetes client, string @namespace, string identity, TimeSpan duration, TimeProvider time)
{
    private readonly Lock _gate = new();

    // Per lease: the record last seen (by resourceVersion) and when this replica first saw it; for holding: when it last renewed.
    private readonly Dictionary<string, (string Version, DateTimeOffset SeenAt)> _observed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _renewedAt = new(StringComparer.Ordinal);

    public string Identity => identity;

    /// <summary>
    /// Renews the lease when this replica holds it, takes it when it is free or expired; true when this replica holds
    /// it now. Any failure (a conflict, an unreachable cluster) answers false: not sure is not leading.
    /// </summary>
    public async Task<bool> TryHoldAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            V1Lease? lease;
            try
            {
                lease = await RolloutStore.CallAsync(() => client.CoordinationV1.ReadNamespacedLeaseAsync(name, @namespace, cancellationToken: cancellationToken));
            }
            catch (ClusterWriteException error) when (error.Failure == WriteFailure.NotFound)
            {
                lease = null;
            }
            if (lease is null)
            {
                await RolloutStore.CallAsync(() => client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
                {
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, Labels = new Dictionary<string, string> { [RolloutStore.RolloutLabel] = "true" } },
                    Spec = Record(now, acquired: now, transitions: 0),
                }, @namespace, cancellationToken: cancellationToken));
                return Held(name, now);
            }

            var holder = lease.Spec?.HolderIdentity;
            if (holder == identity)
            {
                return await WriteAsync(lease, Record(now, lease.Spec!.AcquireTime ?? now.UtcDateTime, lease.Spec.LeaseTransitions ?? 0), name, now, cancellationToken);
            }
            Lost(name);
            var seenAt = Observe(name, lease.Metadata.ResourceVersion, now);
            var leaseDuration = lease.Spec?.LeaseDurationSeconds is int seconds and > 0 ? TimeSpan.FromSeconds(seconds) : duration;
            if (!string.IsNullOrEmpty(holder) && now - seenAt < leaseDuration)
            {
                return false;
            }
            return await WriteAsync(lease, Record(now, acquired: now, (lease.Spec?.LeaseTransitions ?? 0) + 1), name, now, cancellationToken);
        }
        catch (ClusterWriteException)
        {
            Lost(name);
            return false;
        }
    }

    /// <summary>Whether this replica renewed the lease less than a lease duration ago (it may act on it now).</summary>
    public bool Holds(string name)
    {
        lock (_gate)
        {
            return _renewedAt.TryGetValue(name, out var renewed) && time.GetUtcNow() - renewed < duration;
        }
    }

    /// <summary>The leases this replica holds, to give back on shutdown.</summary>
    public IReadOnlyList<string> HeldNames()
    {
        lock (_gate)
        {
            return [.. _renewedAt.Keys];
        }
    }

    /// <summary>Gives the lease back (holder emptied) so another replica takes over at once, as client-go's ReleaseOnCancel does.</summary>
    public async Task ReleaseAsync(string name, CancellationToken cancellationToken)
    {
        Lost(name);
        try
        {
            var lease = await RolloutStore.CallAsync(() => client.CoordinationV1.ReadNamespacedLeaseAsync(name, @namespace, cancellationToken: cancellationToken));
            if (lease.Spec?.HolderIdentity == identity)
            {
                lease.Spec.HolderIdentity = null;
                await RolloutStore.CallAsync(() => client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, name, @namespace, cancellationToken: cancellationToken));
            }
        }
        catch (ClusterWriteException)
        {
            // Not given back: it expires after its duration instead.
        }
    }

    private async Task<bool> WriteAsync(V1Lease lease, V1LeaseSpec spec, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lease.Spec = spec;
        try
        {
            await RolloutStore.CallAsync(() => client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, name, @namespace, cancellationToken: cancellationToken));
            return Held(name, now);
        }
        catch (ClusterWriteException)
        {
            Lost(name);
            return false;
        }
    }

    private V1LeaseSpec Record(DateTimeOffset now, DateTimeOffset acquired, int transitions) => new()
    {
        HolderIdentity = identity,
        LeaseDurationSeconds = (int)Math.Ceiling(duration.TotalSeconds),
        AcquireTime = acquired.UtcDateTime,
        RenewTime = now.UtcDateTime,
        LeaseTransitions = transitions,
    };

    private bool Held(string name, DateTimeOffset now)
    {
        lock (_gate)
        {
            _renewedAt[name] = now;
            _observed.Remove(name);
        }
        return true;
    }

    private void Lost(string name)
    {
        lock (_gate)
        {
            _renewedAt.Remove(name);
        }
    }

    private DateTimeOffset Observe(string name, string version, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_observed.TryGetValue(name, out var seen) && seen.Version == version)
            {
                return seen.SeenAt;
            }
            _observed[name] = (version, now);
            return now;
        }
    }
}
