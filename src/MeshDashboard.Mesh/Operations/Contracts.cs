using System.Collections.Immutable;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>One problem with an operation's input or with the state it would edit, tied to the input field.</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>Thrown by <see cref="ITrafficOperation.Plan"/> when the input is invalid or the mesh state does not allow it.</summary>
public sealed class OperationException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors.Select(e => e.ToString())))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    /// <summary>
    /// The input is well formed but refers to state that changed since the caller read it (a stale
    /// <see cref="RuleOrigin"/>): a conflict to reload and retry, not a mistake to correct.
    /// </summary>
    public bool IsConflict { get; init; }
}

/// <summary>
/// One object to create, replace or delete. <paramref name="Before"/> null means create, <paramref name="After"/>
/// null means delete. <paramref name="After"/> is the full desired object, metadata (resourceVersion included) kept,
/// so a guarded write can check that nobody changed the object in between.
/// </summary>
public sealed record ObjectChange(ObjectRef Target, KubeObject? Before, JsonObject? After);

/// <summary>What an operation would do: a one-line summary for history, and the objects that actually change.</summary>
public sealed record ChangePlan(string Summary, ImmutableArray<ObjectChange> Changes);

/// <summary>A traffic operation on one service. Pure: planning reads the snapshot and never mutates its objects.</summary>
public interface ITrafficOperation
{
    ObjectRef Service { get; }

    /// <exception cref="OperationException">The input is invalid or the mesh state makes the operation impossible.</exception>
    ChangePlan Plan(MeshSnapshot snapshot);
}
