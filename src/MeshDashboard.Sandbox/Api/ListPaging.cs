using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox.Api;

/// <summary>One page of a list and the token for the next (<c>metadata.continue</c>), empty on the last page.</summary>
internal sealed record ListPage(IReadOnlyList<StoredObject> Items, string Continue, long? RemainingItemCount);

/// <summary>
/// Chunked lists (<c>limit</c> and <c>continue</c>), as the API server serves them: items in (namespace, name)
/// order, each page after the last key of the one before. A real server serves every page from the snapshot of the
/// first; the sandbox keeps no old snapshots, so a token issued before any later write is answered 410 Gone, as a
/// real server answers a token older than its compaction, and clients start the list again.
/// </summary>
internal static class ListPaging
{
    public static ListPage Page(IReadOnlyList<StoredObject> sorted, long revision, string? limitText, string? continueText)
    {
        var start = 0;
        if (!string.IsNullOrEmpty(continueText))
        {
            var (tokenRevision, afterNamespace, afterName) = Decode(continueText);
            if (tokenRevision != revision)
            {
                throw ApiException.Gone("The continue token was issued for resourceVersion " + tokenRevision.ToString(CultureInfo.InvariantCulture) +
                    ", which is no longer served; start the list again without continue.");
            }
            start = sorted.Count(item => Compare(item, afterNamespace, afterName) <= 0);
        }
        var limit = ParseLimit(limitText);
        var rest = sorted.Count - start;
        if (limit is null || limit >= rest)
        {
            return new ListPage([.. sorted.Skip(start)], "", null);
        }
        var page = sorted.Skip(start).Take(limit.Value).ToList();
        return new ListPage(page, Encode(revision, page[^1]), rest - page.Count);
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

    /// <summary>The list's order: namespace, then name, both ordinal.</summary>
    private static int Compare(StoredObject item, string ns, string name)
    {
        var byNamespace = string.CompareOrdinal(item.Namespace, ns);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(item.Name, name);
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

    private static string Encode(long revision, StoredObject last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["rv"] = revision, ["ns"] = last.Namespace, ["name"] = last.Name }.ToJsonString()));

    private static (long Revision, string Namespace, string Name) Decode(string token)
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
            && node["ns"] is JsonValue ns && ns.TryGetValue<string>(out var afterNamespace)
            && node["name"] is JsonValue name && name.TryGetValue<string>(out var afterName))
        {
            return (revision, afterNamespace, afterName);
        }
        throw ApiException.BadRequest($"continue: Invalid value: \"{token}\": not a continue token issued by this server");
    }
}
