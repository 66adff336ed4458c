using System.Net;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox.Patching;

/// <summary>
/// Server-side apply (<c>application/apply-patch+yaml</c>): the applied configuration is the manager's whole intent.
/// Its fields are set; fields the manager applied before and leaves out now are removed unless someone else also owns
/// them; a field another manager owns whose value would change is a conflict (409) unless <c>force=true</c>, which
/// moves the field to the applier. Lists are atomic (see <see cref="FieldSet"/>).
/// </summary>
internal static class ServerSideApply
{
    public static (JsonObject Result, List<ManagedEntry> Entries) Apply(
        ResourceType type, JsonObject? current, JsonObject applied, WriteOptions options, string now, bool statusIsSubresource)
    {
        var manager = options.FieldManager!;
        var appliedFields = FieldSet.Leaves(applied, statusIsSubresource);
        var entries = current is null ? [] : ManagedFields.Read(current);
        var previous = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == ManagedEntry.Apply)?.Fields ?? [];
        var others = entries.Where(e => !(e.Manager == manager && e.Operation == ManagedEntry.Apply)).ToList();

        var conflicts = new List<(string Path, ManagedEntry Owner)>();
        if (current is not null)
        {
            foreach (var path in appliedFields.Order(StringComparer.Ordinal))
            {
                if (JsonNode.DeepEquals(FieldSet.ValueAt(applied, path), FieldSet.ValueAt(current, path)) && FieldSet.Has(current, path))
                {
                    continue;
                }
                conflicts.AddRange(others.Where(o => o.Fields.Any(f => FieldSet.Overlaps(f, path))).Select(o => (path, o)));
            }
        }
        if (conflicts.Count > 0 && !options.Force)
        {
            throw Conflict(type, (string?)applied["metadata"]?["name"] ?? "", conflicts);
        }

        var result = (JsonObject)(current?.DeepClone() ?? new JsonObject { ["metadata"] = new JsonObject() });
        foreach (var dropped in previous.Where(p => !appliedFields.Contains(p) && !others.Any(o => o.Fields.Any(f => FieldSet.Overlaps(f, p)))))
        {
            FieldSet.Remove(result, dropped);
        }
        foreach (var path in appliedFields)
        {
            FieldSet.Set(result, path, FieldSet.ValueAt(applied, path));
        }
        result["apiVersion"] = applied["apiVersion"]?.DeepClone();
        result["kind"] = applied["kind"]?.DeepClone();
        var metadata = (JsonObject)result["metadata"]!;
        metadata["name"] = applied["metadata"]?["name"]?.DeepClone();
        if (applied["metadata"]?["namespace"] is { } ns)
        {
            metadata["namespace"] = ns.DeepClone();
        }

        var forced = conflicts.Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        var next = others
            .Select(o => o with { Fields = [.. o.Fields.Where(f => !forced.Any(p => FieldSet.Overlaps(p, f)))] })
            .ToList();
        var unchanged = current is not null && previous.SetEquals(appliedFields) && conflicts.Count == 0 && JsonNode.DeepEquals(WithoutManagedFields(result), WithoutManagedFields(current));
        var time = unchanged ? entries.FirstOrDefault(e => e.Manager == manager && e.Operation == ManagedEntry.Apply)?.Time ?? now : now;
        next.Insert(0, new ManagedEntry(manager, ManagedEntry.Apply, options.ApiVersion ?? "", time, appliedFields));
        return (result, next);
    }

    private static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    /// <summary>kube-apiserver's conflict answer (managedfields internal.NewConflictError): 409 Conflict, one cause per field.</summary>
    private static ApiException Conflict(ResourceType type, string name, List<(string Path, ManagedEntry Owner)> conflicts)
    {
        static string Field(string path) => "." + string.Join(".", FieldSet.Keys(path));
        static string Who(ManagedEntry owner) => $"conflict with \"{owner.Manager}\"" + (owner.Operation == ManagedEntry.Update ? $" using {owner.ApiVersion}" : "");
        var message = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: {Who(conflicts[0].Owner)}: {Field(conflicts[0].Path)}"
            : $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", conflicts.GroupBy(c => c.Owner).Select(g =>
                $"{Who(g.Key).Replace("conflict with", "conflicts with", StringComparison.Ordinal)}:\n" + string.Join("\n", g.Select(c => "- " + Field(c.Path)))));
        return new ApiException(HttpStatusCode.Conflict, "Conflict", message,
            conflicts.Select(c => new FieldCause(Field(c.Path), Who(c.Owner), "FieldManagerConflict")).ToList(),
            new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural });
    }
}
