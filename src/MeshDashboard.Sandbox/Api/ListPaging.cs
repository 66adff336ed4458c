using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox.Api;

/// <summary>One page of a list and the token for the next (<c>metadata.continue</c>), empty on the last page.</summary>
/// <remarks><see cref="Revision"/> is the list's resourceVersion: the first page's revision, on every page.</remarks>
internal sealed record ListPage(IReadOnlyList<StoredObject> Items, string Continue, long? RemainingItemCount, long Revision);

/// <summary>
/// Chunked lists (<c>limit</c> and <c>continue</c>), as the API server serves them: items in (namespace, name)
/// order, each page after the last key of the one before, every page from the snapshot the first was cut from (its
/// revision is the list's resourceVersion). The store keeps a few snapshots per kind; a token whose snapshot is gone is
/// answered 410 Gone, as a real server answers a token older than its compaction, and clients start the list again.
/// A page costs its own items plus a binary search, whatever the size of the kind.
/// </summary>
internal static class ListPaging
{
    public static ListPage Page(ObjectStore store, ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, string? limitText, string? continueText)
    {
        var limit = ParseLimit(limitText);
        ListSnapshot snapshot;
        var start = 0;
        if (string.IsNullOrEmpty(continueText))
        {
            snapshot = store.List(type, ns);
        }
        else
        {
            var token = Decode(continueText);
            snapshot = store.Snapshot(type, ns, token.KindRevision) is { } kept
                ? kept with { Revision = token.Revision }
                : throw ApiException.Gone("The continue token was issued for resourceVersion " + token.Revision.ToString(CultureInfo.InvariantCulture) +
                    ", which is no longer served; start the list again without continue.");
            start = snapshot.IndexAfter(token.AfterNamespace, token.AfterName);
        }

        var selects = !(labels.SelectsEverything && fields.SelectsEverything);
        bool Keeps(StoredObject item) => !selects || (fields.Matches(item.Namespace, item.Name) && labels.Matches(item.Labels));
        var items = new List<StoredObject>();
        var next = start;
        for (; next < snapshot.Items.Count && (limit is null || items.Count < limit); next++)
        {
            var item = snapshot.Items[next];
            if (Keeps(item))
            {
                items.Add(item);
            }
        }
        // More pages only when an item is left that the selectors keep (a real server may end on an empty page instead).
        while (next < snapshot.Items.Count && !Keeps(snapshot.Items[next]))
        {
            next++;
        }
        if (next >= snapshot.Items.Count)
        {
            return new ListPage(items, "", null, snapshot.Revision);
        }
        // The API server leaves remainingItemCount unset for a list with selectors: it would have to count them.
        return new ListPage(items, Encode(snapshot, items[^1]), selects ? null : snapshot.Items.Count - next, snapshot.Revision);
    }

    /// <summary>Adds <c>continue</c> and <c>remainingItemCount</c> to a list's (or table's) metadata when there are more pages.</summary>
    public static void Describe(JsonObject metadata, ListPage page)
    {
        if (page.Continue.Length > 0)
        {
            metadata["continue"] = page.Continue;
            metadata["remainingItemCount"] = page.RemainingItemCount;
        }
    }

    private static int? ParseLimit(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
        {
            throw ApiException.BadRequest($"limit: Invalid value: \"{text}\": must be a non-negative integer");
        }
        // 0 asks for no limit.
        return limit == 0 ? null : limit;
    }

    private static string Encode(ListSnapshot snapshot, StoredObject last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["rv"] = snapshot.Revision, ["kind"] = snapshot.KindRevision, ["ns"] = last.Namespace, ["name"] = last.Name,
        }.ToJsonString()));

    private sealed record ContinueToken(long Revision, long KindRevision, string AfterNamespace, string AfterName);

    private static ContinueToken Decode(string token)
    {
        JsonNode? node = null;
        try
        {
            node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
        }
        catch (Exception error) when (error is FormatException or System.Text.Json.JsonException)
        {
            // Reported below, as any token we did not issue.
        }
        if (node?["rv"] is JsonValue rv && rv.TryGetValue<long>(out var revision)
            && node["kind"] is JsonValue kind && kind.TryGetValue<long>(out var kindRevision)
            && node["ns"] is JsonValue ns && ns.TryGetValue<string>(out var afterNamespace)
            && node["name"] is JsonValue name && name.TryGetValue<string>(out var afterName))
        {
            return new ContinueToken(revision, kindRevision, afterNamespace, afterName);
        }
        throw ApiException.BadRequest($"continue: Invalid value: \"{token}\": not a continue token issued by this server");
    }
}
