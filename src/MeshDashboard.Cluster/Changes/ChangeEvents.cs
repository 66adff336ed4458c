using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshDashboard.Cluster.Diagnostics;
using MeshDashboard.Mesh.Kubernetes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshDashboard.Cluster.Changes;

/// <summary>
/// Records a Kubernetes Event on each object a change wrote, as a controller does, so <c>kubectl get events</c> (and
/// <c>kubectl describe</c>) show who changed routing and why. Best effort: an event is a note about a change that already
/// happened, so one that cannot be written is logged and never fails the change. Written with the dashboard's own
/// identity, not the person's: their role lets them change routing, not necessarily write events.
/// </summary>
public sealed partial class ChangeEvents(IKubernetes client, TimeProvider time, ILogger<ChangeEvents>? logger = null)
{
    public const string Component = "meshdashboard";

    /// <summary>core/v1 caps nothing, but events.k8s.io/v1's note is at most 1 KiB; a longer message is cut there.</summary>
    private const int MaxMessageLength = 1024;

    private readonly ILogger _logger = logger ?? NullLogger<ChangeEvents>.Instance;

    // Events being written after the change's answer was sent (see RecordAfterAnswer).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, bool> _pending = new();

    /// <summary>
    /// Records the events without holding up the change's answer: the change is whole (written, recorded, journal closed)
    /// before this is called, and an event that cannot be written is only logged, so the person need not wait for it.
    /// </summary>
    public void RecordAfterAnswer(IReadOnlyList<(ObjectRef Target, ObjectAction Action, JsonObject? Live)> objects, string author, string summary, string? reason,
        string revision)
    {
        var recording = Task.Run(async () =>
        {
            try
            {
                await RecordAsync(objects, author, summary, reason, revision, CancellationToken.None);
            }
            catch (Exception error)
            {
                LogNotRecorded(_logger, string.Join(", ", objects.Select(o => o.Target)), LogText.Safe(error.Message));
            }
        });
        _pending[recording] = true;
        recording.ContinueWith(done => _pending.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every event started by <see cref="RecordAfterAnswer"/> so far has been written or given up.</summary>
    public Task WhenRecordedAsync() => Task.WhenAll(_pending.Keys);

    public async Task RecordAsync(IReadOnlyList<(ObjectRef Target, ObjectAction Action, JsonObject? Live)> objects, string author, string summary, string? reason,
        string revision, CancellationToken cancellationToken)
    {
        foreach (var (target, action, live) in objects)
        {
            try
            {
                await client.CoreV1.CreateNamespacedEventAsync(Build(target, action, live, author, summary, reason, revision), target.Namespace,
                    cancellationToken: cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogNotRecorded(_logger, target.ToString(), LogText.Safe(error.Message));
            }
        }
    }

    internal Corev1Event Build(ObjectRef target, ObjectAction action, JsonObject? live, string author, string summary, string? reason, string revision)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var verb = action switch
        {
            ObjectAction.Create => "created",
            ObjectAction.Delete => "deleted",
            _ => "changed",
        };
        var message = $"{author} {verb} {target.Kind} {target.Name}: {summary}" + (string.IsNullOrWhiteSpace(reason) ? "" : $" Reason: {reason}") +
            $" (history revision {revision})";
        return new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                // Controllers name events after the object and a unique suffix, as client-go's recorder does.
                Name = $"{target.Name}.{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}",
                NamespaceProperty = target.Namespace,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = target.Kind.ApiVersion(),
                Kind = target.Kind.ToString(),
                Name = target.Name,
                NamespaceProperty = target.Namespace,
                Uid = (string?)live?["metadata"]?["uid"],
                ResourceVersion = (string?)live?["metadata"]?["resourceVersion"],
            },
            Reason = action switch
            {
                ObjectAction.Create => "RoutingCreated",
                ObjectAction.Delete => "RoutingDeleted",
                _ => "RoutingChanged",
            },
            Message = message.Length > MaxMessageLength ? message[..(MaxMessageLength - 1)] + "…" : message,
            Type = "Normal",
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            ReportingInstance = Environment.MachineName,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event for {Target} could not be recorded (the change itself stands): {Error}")]
    private static partial void LogNotRecorded(ILogger logger, string target, string error);
}
