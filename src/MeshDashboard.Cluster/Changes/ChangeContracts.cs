using System.Collections.Immutable;
using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Cluster.Changes;

public enum ObjectAction
{
    Create,
    Update,
    Delete,
}

/// <summary>One object of a change, as a person reviews it: YAML before and after, and the unified diff.</summary>
public sealed record ObjectDiff(ObjectRef Target, ObjectAction Action, string BeforeYaml, string AfterYaml, string UnifiedDiff);

/// <summary>What the API server said to a dry run of every write of the change (schema, admission, Istio's webhook).</summary>
public sealed record DryRunVerdict(bool Accepted, string Message);

/// <summary>
/// What a change would do, before it is applied: the diff per object, the analyzer's findings on the mesh as it
/// would be after the change, and the server's dry-run verdict. <see cref="BaseVersion"/> identifies the state
/// the preview was computed on; applying with it refuses the change if that state moved meanwhile.
/// </summary>
public sealed record ChangePreview(
    ObjectRef Service,
    string Summary,
    ImmutableArray<ObjectDiff> Objects,
    ImmutableArray<Finding> Findings,
    DryRunVerdict DryRun,
    string BaseVersion)
{
    public bool HasChanges => !Objects.IsEmpty;

    /// <summary>Why the caller may not apply this change (judged on its effect), or null when they may.</summary>
    public string? Refusal { get; init; }

    /// <summary>The mesh the preview was computed on, so a request can be simulated on it (not part of the API's answer).</summary>
    public MeshSnapshot? Before { get; init; }

    /// <summary>The mesh as it would be after the change: the state the findings were judged on, and the simulator's "after".</summary>
    public MeshSnapshot? After { get; init; }
}

public enum ChangeStatus
{
    Applied,
    /// <summary>The operation changes nothing; nothing was written.</summary>
    NoChange,
    /// <summary>The input or the resulting objects are invalid (see the errors); nothing was written.</summary>
    Invalid,
    /// <summary>Someone changed the configuration since it was read; nothing was written (or what was written was undone).</summary>
    Conflict,
    /// <summary>The caller or the dashboard's cluster identity may not make this change.</summary>
    Forbidden,
    /// <summary>Another controller owns the routing; edits here would be reverted.</summary>
    ReadOnly,
    /// <summary>The cluster could not be reached.</summary>
    Unreachable,
    /// <summary>The cluster refused a write for another reason; what had been written was undone.</summary>
    Failed,
}

/// <summary>The result of applying a change, in words a person can act on.</summary>
public sealed record ChangeOutcome(ChangeStatus Status, string Message)
{
    /// <summary>The history revision recorded for an applied change.</summary>
    public string? Revision { get; init; }

    /// <summary>For an invalid change: the fields at fault. For a conflict: the fields that refer to what changed (a rule's origin).</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>For a conflict: the caller's expected version (If-Match) no longer matched; nothing was tried.</summary>
    public bool VersionMismatch { get; init; }

    /// <summary>For a conflict: what changed under the person since they read it.</summary>
    public ImmutableArray<ObjectDiff> ConcurrentChanges { get; init; } = [];

    public bool Succeeded => Status is ChangeStatus.Applied or ChangeStatus.NoChange;
}

/// <summary>
/// Who asks for a change and why; <see cref="ExpectedVersion"/> (an ETag) makes the change conditional.
/// <see cref="MayWeakenTls"/> is what the caller is allowed beyond ordinary traffic changes: without it, any change whose
/// effect weakens a DestinationRule's TLS (see <see cref="TlsWeakenings"/>) is refused, however it was asked for.
/// </summary>
public sealed record ChangeRequest(string Author, string? Reason = null, string? ExpectedVersion = null)
{
    /// <summary>The longest reason kept in the history; a longer one is refused, never cut.</summary>
    public const int MaxReasonLength = 1000;

    public bool MayWeakenTls { get; init; }
}

/// <summary>A change of any service, as the mesh-wide list of recent changes shows it.</summary>
public sealed record RecentChange(ObjectRef Service, string Revision, DateTimeOffset Time, string Author, string Summary, string? Reason);

/// <summary>One recorded change of a service's traffic configuration, kept in the cluster.</summary>
public sealed record HistoryEntry(
    string Revision,
    DateTimeOffset Time,
    string Author,
    string Summary,
    string? Reason,
    ImmutableArray<ObjectDiff> Objects,
    bool IsBaseline);
