using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// Rollback: brings each object back to a recorded state (null = it should not exist). An object whose spec,
/// labels and annotations already match is left out. A replaced object keeps the current metadata (resourceVersion
/// and uid included, so the write is guarded against edits made since) with the recorded spec, labels and annotations.
/// </summary>
public sealed record RestoreObjects(ObjectRef Service, string Summary, IReadOnlyList<(ObjectRef Ref, JsonObject? State)> Desired) : ITrafficOperation
{
    private static readonly string[] ServerMetadata = ["resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "deletionTimestamp", "selfLink"];

    public ChangePlan Plan(MeshSnapshot snapshot)
    {
        var errors = new List<FieldError>();
        for (var i = 0; i < Desired.Count; i++)
        {
            var (reference, state) = Desired[i];
            if (!reference.Kind.IsIstio())
            {
                errors.Add(new FieldError($"desired[{i}].ref", $"{reference} is not an Istio object; only VirtualServices, DestinationRules and Gateways are restored"));
            }
            var name = state?["metadata"].Str("name");
            var ns = state?["metadata"].Str("namespace");
            if (state is not null && ((name is not null && name != reference.Name) || (ns is not null && ns != reference.Namespace)))
            {
                errors.Add(new FieldError($"desired[{i}].state", $"the recorded state names {ns}/{name}, not {reference.Namespace}/{reference.Name}"));
            }
        }
        ServiceContext.ThrowIfAny(errors);

        var changes = new List<ObjectChange>();
        foreach (var (reference, state) in Desired)
        {
            var current = snapshot.Find(reference);
            if (state is null)
            {
                if (current is not null)
                {
                    changes.Add(new ObjectChange(reference, current, null));
                }
                continue;
            }
            if (current is null)
            {
                var created = (JsonObject)state.DeepClone();
                created.Remove("status");
                created["apiVersion"] = reference.Kind.ApiVersion();
                created["kind"] = reference.Kind.ToString();
                var metadata = created.GetOrAddObject("metadata");
                foreach (var field in ServerMetadata)
                {
                    metadata.Remove(field);
                }
                metadata["name"] = reference.Name;
                metadata["namespace"] = reference.Namespace;
                changes.Add(new ObjectChange(reference, null, created));
                continue;
            }
            var after = current.CloneRaw();
            Copy(state, after, "spec");
            Copy(state["metadata"] as JsonObject, after.GetOrAddObject("metadata"), "labels");
            Copy(state["metadata"] as JsonObject, (JsonObject)after["metadata"]!, "annotations");
            changes.Add(new ObjectChange(reference, current, after));
        }
        return ServiceContext.Build(Summary, changes);
    }

    private static void Copy(JsonObject? from, JsonObject to, string property)
    {
        if (from?[property] is { } value)
        {
            to[property] = value.DeepClone();
        }
        else
        {
            to.Remove(property);
        }
    }
}
