using System.Globalization;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox.Api;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;g=meta.k8s.io;v=v1</c>): the columns
/// <c>kubectl get</c> shows, the same ones the real server and Istio's CRDs print.
/// </summary>
internal static class Tables
{
    private sealed record Column(string Name, string Type, string Description, Func<JsonObject, JsonNode?> Value, int Priority = 0);

    public static bool Wanted(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    public static JsonObject Render(ResourceType type, string version, IEnumerable<StoredObject> items, long revision, DateTimeOffset now, bool includeColumns = true)
    {
        var columns = ColumnsFor(type, version, now);
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var node = item.Parse();
            rows.Add(new JsonObject
            {
                ["cells"] = new JsonArray(columns.Select(c => c.Value(node)).ToArray()),
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = node["metadata"]?.DeepClone(),
                },
            });
        }
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = includeColumns
                ? new JsonArray(columns.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name,
                    ["type"] = c.Type,
                    ["format"] = c.Name == "Name" ? "name" : "",
                    ["description"] = c.Description,
                    ["priority"] = c.Priority,
                }).ToArray())
                : new JsonArray(),
            ["rows"] = rows,
        };
        return table;
    }

    private static List<Column> ColumnsFor(ResourceType type, string version, DateTimeOffset now)
    {
        var columns = new List<Column> { new("Name", "string", "Name of the object", n => n["metadata"]?["name"]?.DeepClone()) };
        if (type.Definition is { } definition)
        {
            // A CRD's additionalPrinterColumns, in its order; without any, the API server shows Name and Age.
            var printed = definition.PrinterColumns.GetValueOrDefault(version) ?? [];
            foreach (var column in printed.OfType<JsonObject>())
            {
                var path = (string?)column["jsonPath"] ?? "";
                var columnType = (string?)column["type"] ?? "string";
                columns.Add(new((string?)column["name"] ?? path, columnType, (string?)column["description"] ?? "", n => Cell(n, path, columnType, now), (int?)column["priority"] ?? 0));
            }
            if (printed.Count == 0)
            {
                columns.Add(new("Age", "date", "Time since creation", n => Age((string?)n["metadata"]?["creationTimestamp"], now)));
            }
            return columns;
        }
        if (type == ResourceTypes.Pods)
        {
            columns.Add(new("Ready", "string", "Ready containers", n => ReadyText(n)));
            columns.Add(new("Status", "string", "Pod phase", n => n["status"]?["phase"]?.DeepClone()));
        }
        else if (type == ResourceTypes.Services)
        {
            columns.Add(new("Type", "string", "Service type", n => n["spec"]?["type"]?.DeepClone()));
            columns.Add(new("Cluster-IP", "string", "Cluster IP", n => n["spec"]?["clusterIP"]?.DeepClone()));
        }
        else if (type == ResourceTypes.Namespaces)
        {
            columns.Add(new("Status", "string", "Namespace phase", n => n["status"]?["phase"]?.DeepClone()));
        }
        else if (type == ResourceTypes.Events || type == ResourceTypes.EventsV1)
        {
            // kubectl's event printer: when it was last seen, then type, reason, the object it is about and the message.
            columns[0] = new("Last Seen", "string", "Time since the event was last seen", n => Age(LastSeen(n), now));
            columns.Add(new("Type", "string", "Normal or Warning", n => n["type"]?.DeepClone()));
            columns.Add(new("Reason", "string", "Why the event happened", n => n["reason"]?.DeepClone()));
            columns.Add(new("Object", "string", "The object the event is about", n => InvolvedObject(n)));
            columns.Add(new("Source", "string", "Who reported it", n => (n["reportingComponent"] ?? n["source"]?["component"])?.DeepClone(), Priority: 1));
            columns.Add(new("Message", "string", "What happened", n => n["message"]?.DeepClone()));
            columns.Add(new("Name", "string", "Name of the event", n => n["metadata"]?["name"]?.DeepClone(), Priority: 1));
            return columns;
        }
        else if (type == ResourceTypes.Leases)
        {
            columns.Add(new("Holder", "string", "The holder of the lease", n => n["spec"]?["holderIdentity"]?.DeepClone()));
        }
        columns.Add(new("Age", "date", "Time since creation", n => Age((string?)n["metadata"]?["creationTimestamp"], now)));
        return columns;
    }

    /// <summary>A printer column's cell: a simple JSONPath (<c>.spec.hosts</c>); dates show as an age, lists as JSON.</summary>
    private static JsonNode? Cell(JsonObject obj, string path, string type, DateTimeOffset now)
    {
        JsonNode? node = obj;
        foreach (var key in path.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonObject current ? current[key] : null;
        }
        return node switch
        {
            null => null,
            JsonValue when type == "date" => Age((string?)node, now),
            JsonArray or JsonObject => node.ToJsonString(),
            _ => node.DeepClone(),
        };
    }

    private static string? LastSeen(JsonObject e) =>
        (string?)e["lastTimestamp"] ?? (string?)e["eventTime"] ?? (string?)e["metadata"]?["creationTimestamp"];

    private static JsonNode InvolvedObject(JsonObject e) =>
        $"{((string?)e["involvedObject"]?["kind"] ?? "").ToLowerInvariant()}/{(string?)e["involvedObject"]?["name"]}";

    private static JsonNode ReadyText(JsonObject pod)
    {
        var ready = pod["status"]?["conditions"] is JsonArray conditions &&
            conditions.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True");
        return ready ? "1/1" : "0/1";
    }

    internal static string Age(string? timestamp, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            return "<unknown>";
        }
        var age = now - created;
        return age.TotalSeconds < 120 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }
}
