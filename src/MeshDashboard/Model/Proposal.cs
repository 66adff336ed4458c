using MeshDashboard.Cluster.Changes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Model;

/// <summary>
/// How a proposed change ended: refused before the preview (field errors), cancelled in the preview dialog,
/// or applied with an outcome.
/// </summary>
public sealed record ProposalResult(IReadOnlyList<FieldError> Errors, ChangeOutcome? Outcome)
{
    public static ProposalResult Cancelled { get; } = new([], null);

    public bool Succeeded => Outcome?.Succeeded == true;
}
