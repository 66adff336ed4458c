using System.Text.Json.Nodes;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>One entry of <c>metadata.managedFields</c>: which manager set which fields, by apply or by update.</summary>
internal sealed record ManagedEntry(string Manager, string Operation, string ApiVersion, string Time, HashSet<string> Fields)
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public JsonObject ToJson() => new()
    {
        ["manager"] = Manager,
        ["operation"] = Operation,
        ["apiVersion"] = ApiVersion,
        ["time"] = Time,
        ["fieldsType"] = "FieldsV1",
        ["fieldsV1"] = FieldSet.ToFieldsV1(Fields),
    };
}

/// <summary>
/// Field ownership as the API server tracks it for every write: a create or update gives its manager the fields it set
/// or changed and takes them from everyone else; fields that are gone belong to no one. Server-side apply is in
/// <see cref="Patching.ServerSideApply"/>. A write that sends its own managedFields replaces the recorded ones, as on a real server.
/// </summary>
internal static class ManagedFields
{
    public static List<ManagedEntry> Read(JsonObject obj) =>
        obj["metadata"]?["managedFields"] is JsonArray entries
            ? entries.OfType<JsonObject>().Select(e => new ManagedEntry(
                (string?)e["manager"] ?? "", (string?)e["operation"] ?? ManagedEntry.Update, (string?)e["apiVersion"] ?? "", (string?)e["time"] ?? "",
                FieldSet.FromFieldsV1(e["fieldsV1"]))).ToList()
            : [];

    public static void Write(JsonObject obj, IEnumerable<ManagedEntry> entries)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        var kept = entries.Where(e => e.Fields.Count > 0).Select(e => (JsonNode)e.ToJson()).ToArray();
        if (kept.Length == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = new JsonArray(kept);
        }
    }

    /// <summary>The managed fields after a create (<paramref name="old"/> null) or an update by <see cref="WriteOptions.FieldManager"/>.</summary>
    public static List<ManagedEntry> AfterWrite(List<ManagedEntry> recorded, JsonObject? old, JsonObject next, WriteOptions options, string now, bool statusIsSubresource)
    {
        var newLeaves = FieldSet.Leaves(next, statusIsSubresource);
        var entries = recorded
            .Select(e => e with { Fields = [.. e.Fields.Where(f => newLeaves.Any(n => FieldSet.Overlaps(n, f)))] })
            .ToList();
        if (options.FieldManager is not { Length: > 0 } manager)
        {
            return entries;
        }
        var oldLeaves = old is null ? [] : FieldSet.Leaves(old, statusIsSubresource);
        var changed = newLeaves
            .Where(p => !oldLeaves.Contains(p) || !JsonNode.DeepEquals(FieldSet.ValueAt(old!, p), FieldSet.ValueAt(next, p)))
            .ToHashSet(StringComparer.Ordinal);
        if (changed.Count == 0)
        {
            return entries;
        }
        for (var i = 0; i < entries.Count; i++)
        {
            if (!(entries[i].Manager == manager && entries[i].Operation == ManagedEntry.Update))
            {
                entries[i] = entries[i] with { Fields = [.. entries[i].Fields.Where(f => !changed.Any(c => FieldSet.Overlaps(c, f)))] };
            }
        }
        var own = entries.FindIndex(e => e.Manager == manager && e.Operation == ManagedEntry.Update);
        var fields = own >= 0 ? [.. entries[own].Fields.Where(f => !changed.Any(c => FieldSet.Overlaps(c, f))), .. changed] : changed;
        var entry = new ManagedEntry(manager, ManagedEntry.Update, options.ApiVersion ?? "", now, [.. fields]);
        if (own >= 0)
        {
            entries[own] = entry;
        }
        else
        {
            entries.Add(entry);
        }
        return entries;
    }
}
