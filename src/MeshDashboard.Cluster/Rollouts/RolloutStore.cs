using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Rollouts;

namespace MeshDashboard.Cluster.Rollouts;

/// <summary>A rollout as kept in the cluster: its plan, its progress and the latest command a person gave.</summary>
public sealed record StoredRollout(string Name, string ResourceVersion, RolloutPlan Plan, RolloutStatus Status, RolloutCommand? Command)
{
    public ObjectRef Service => Plan.Service;

    /// <summary>A command not handled yet.</summary>
    public RolloutCommand? PendingCommand => Command is { } command && command.Sequence > Status.HandledCommand ? command : null;
}

/// <summary>
/// Keeps each rollout in a ConfigMap of the dashboard's namespace, one per service (its plan, status and latest command
/// under separate keys), next to the change history. A ConfigMap and not an annotation on the VirtualService: writing
/// progress to the VirtualService would change the very object whose version tells the rollout that someone else edited
/// it, would show up in every diff and GitOps tool watching it, and would need write access to every namespace; the
/// dashboard's own namespace already holds its history and journal with the access they need.
/// Writers never overwrite each other: the driver changes only the status and a person only the command, each read,
/// changed and written back guarded by the resourceVersion, again on a conflict.
/// </summary>
public sealed class RolloutStore(IKubernetes client, string @namespace)
{
    public const string RolloutLabel = "meshdashboard.io/rollout";
    private const string ManagedByLabel = "app.kubernetes.io/managed-by";
    private const string ServiceAnnotation = "meshdashboard.io/service";
    private const string PlanKey = "plan";
    private const string StatusKey = "status";
    private const string CommandKey = "command";
    private const int Attempts = 5;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public string Namespace => @namespace;

    /// <summary>
    /// The name of the service's rollout ConfigMap and Lease. A dot joins namespace and name: neither may hold one, so two
    /// services never share a name (a dash could: "a-b/c" and "a/b-c").
    /// </summary>
    public static string NameOf(ObjectRef service)
    {
        var name = $"meshdashboard-rollout-{service.Namespace}.{service.Name}";
        if (name.Length <= 253)
        {
            return name;
        }
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12].ToLowerInvariant();
        return name[..240] + "-" + hash;
    }

    public async Task<IReadOnlyList<StoredRollout>> ListAsync(CancellationToken cancellationToken)
    {
        var list = await CallAsync(() => client.CoreV1.ListNamespacedConfigMapAsync(@namespace, labelSelector: RolloutLabel + "=true", cancellationToken: cancellationToken));
        return [.. list.Items.Select(Read).OfType<StoredRollout>()];
    }

    public async Task<StoredRollout?> GetAsync(ObjectRef service, CancellationToken cancellationToken) =>
        await TryReadAsync(NameOf(service), cancellationToken) is { } map ? Read(map) : null;

    /// <summary>Stores a new rollout; a finished one of the same service is replaced. False when one is still running.</summary>
    public async Task<bool> CreateAsync(RolloutPlan plan, RolloutStatus status, CancellationToken cancellationToken)
    {
        var name = NameOf(plan.Service);
        var data = new Dictionary<string, string> { [PlanKey] = Serialize(plan), [StatusKey] = Serialize(status) };
        var existing = await TryReadAsync(name, cancellationToken);
        if (existing is null)
        {
            try
            {
                await CallAsync(() => client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
                {
                    Metadata = new V1ObjectMeta
                    {
                        Name = name,
                        NamespaceProperty = @namespace,
                        Labels = new Dictionary<string, string> { [RolloutLabel] = "true", [ManagedByLabel] = "meshdashboard" },
                        Annotations = new Dictionary<string, string> { [ServiceAnnotation] = $"{plan.Service.Namespace}/{plan.Service.Name}" },
                    },
                    Data = data,
                }, @namespace, cancellationToken: cancellationToken));
                return true;
            }
            catch (ClusterWriteException error) when (error.Failure == WriteFailure.Conflict)
            {
                return false;
            }
        }
        if (Read(existing) is { Status.IsFinal: false })
        {
            return false;
        }
        existing.Data = data;
        try
        {
            await CallAsync(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(existing, name, @namespace, cancellationToken: cancellationToken));
            return true;
        }
        catch (ClusterWriteException error) when (error.Failure == WriteFailure.Conflict)
        {
            return false;
        }
    }

    /// <summary>Writes the status the driver decided, keeping whatever command arrived meanwhile.</summary>
    public Task<StoredRollout?> WriteStatusAsync(ObjectRef service, RolloutStatus status, CancellationToken cancellationToken) =>
        UpdateAsync(service, map => map.Data[StatusKey] = Serialize(status), cancellationToken);

    /// <summary>Records a person's command with the next number; null when the service has no rollout.</summary>
    public async Task<RolloutCommand?> AddCommandAsync(ObjectRef service, RolloutCommandKind kind, string author, DateTimeOffset at, CancellationToken cancellationToken)
    {
        RolloutCommand? added = null;
        await UpdateAsync(service, map =>
        {
            var current = Read(map)!;
            added = new RolloutCommand(Math.Max(current.Command?.Sequence ?? 0, current.Status.HandledCommand) + 1, kind, author, at);
            map.Data[CommandKey] = Serialize(added);
        }, cancellationToken);
        return added;
    }

    public async Task DeleteAsync(ObjectRef service, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(() => client.CoreV1.DeleteNamespacedConfigMapAsync(NameOf(service), @namespace, cancellationToken: cancellationToken));
        }
        catch (ClusterWriteException error) when (error.Failure == WriteFailure.NotFound)
        {
        }
    }

    private async Task<StoredRollout?> UpdateAsync(ObjectRef service, Action<V1ConfigMap> change, CancellationToken cancellationToken)
    {
        var name = NameOf(service);
        for (var attempt = 1; ; attempt++)
        {
            if (await TryReadAsync(name, cancellationToken) is not { } map || Read(map) is null)
            {
                return null;
            }
            change(map);
            try
            {
                return Read(await CallAsync(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(map, name, @namespace, cancellationToken: cancellationToken)));
            }
            catch (ClusterWriteException error) when (error.Failure == WriteFailure.Conflict && attempt < Attempts)
            {
                // Someone wrote the other part meanwhile: read it again and apply this change on top.
            }
        }
    }

    private async Task<V1ConfigMap?> TryReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(name, @namespace, cancellationToken: cancellationToken));
        }
        catch (ClusterWriteException error) when (error.Failure == WriteFailure.NotFound)
        {
            return null;
        }
    }

    /// <summary>The rollout in a ConfigMap; null when it is not one (a hand-made ConfigMap with the label, or one that does not parse).</summary>
    private static StoredRollout? Read(V1ConfigMap map)
    {
        try
        {
            IDictionary<string, string> data = map.Data ?? new Dictionary<string, string>();
            if (Value(data, PlanKey) is not { } planText || JsonSerializer.Deserialize<RolloutPlan>(planText, Json) is not { } plan)
            {
                return null;
            }
            var status = Value(data, StatusKey) is { } statusText ? JsonSerializer.Deserialize<RolloutStatus>(statusText, Json) ?? new() : new();
            var command = Value(data, CommandKey) is { } commandText ? JsonSerializer.Deserialize<RolloutCommand>(commandText, Json) : null;
            return new StoredRollout(map.Metadata.Name, map.Metadata.ResourceVersion, plan, status, command);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Value(IDictionary<string, string> data, string key) => data.TryGetValue(key, out var value) ? value : null;

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    /// <summary>Calls the API, turning its failures into <see cref="ClusterWriteException"/> as the change pipeline sees them.</summary>
    internal static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException error)
        {
            throw ClusterWriter.Classify(error);
        }
        catch (HttpRequestException error)
        {
            throw new ClusterWriteException(WriteFailure.Unreachable, $"The cluster cannot be reached: {error.Message}", error);
        }
    }
}
