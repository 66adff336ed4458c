using System.Net;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Cluster.Watching;

/// <summary>
/// Keeps one kind in the cache current: list, then watch from the list's resourceVersion; resume from the
/// last version seen when a watch ends; list again when the server says that version is gone (410).
/// When the cluster cannot be reached the kind is marked unreachable and retried with a short capped back-off
/// (at most <see cref="MaxBackoff"/>, with jitter so replicas do not retry in step); the first answer after an outage
/// is a fresh list, so the cache is current again before it counts as reachable and before anything is planned on it.
/// </summary>
public sealed partial class KindWatcher(IKindSource source, MeshCache cache, ILogger logger, TimeProvider time)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan NotServedRetry = TimeSpan.FromSeconds(30);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var (items, listVersion) = await source.ListAsync(cancellationToken);
                    cache.ReplaceKind(source.Kind, items);
                    cache.MarkReachable(source.Kind, time.GetUtcNow());
                    resourceVersion = listVersion;
                    LogListed(logger, source.Kind.ToString(), items.Count, listVersion);
                }

                await foreach (var change in source.WatchAsync(resourceVersion, cancellationToken))
                {
                    if (change.Type == ChangeType.Expired)
                    {
                        LogExpired(logger, source.Kind.ToString(), resourceVersion);
                        resourceVersion = null;
                        break;
                    }
                    if (change.Type != ChangeType.Bookmark)
                    {
                        cache.Apply(source.Kind, [change]);
                    }
                    resourceVersion = change.ResourceVersion ?? resourceVersion;
                }
                backoff = TimeSpan.FromMilliseconds(500);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException error) when ((resourceVersion is null && error.Response.StatusCode == HttpStatusCode.NotFound)
                || (source.IsOptional && error.Response.StatusCode == HttpStatusCode.Forbidden))
            {
                // The kind is not served (e.g. Istio is not installed), or an optional one may not be read (or listed but
                // not watched, as under a role from before the history was watched): show it as empty and look again later.
                resourceVersion = null;
                cache.ReplaceKind(source.Kind, []);
                cache.MarkReachable(source.Kind, time.GetUtcNow());
                LogNotServed(logger, source.Kind.ToString());
                await Task.Delay(NotServedRetry, time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is HttpRequestException or HttpOperationException or IOException or InvalidOperationException or System.Text.Json.JsonException)
            {
                cache.MarkUnreachable(source.Kind, time.GetUtcNow(), error.Message);
                // Whatever happened while we could not hear, the next answer starts with a fresh list.
                resourceVersion = null;
                var delay = backoff * (0.8 + (Random.Shared.NextDouble() * 0.4));
                LogRetry(logger, source.Kind.ToString(), delay.TotalSeconds, error.Message);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listed {Count} {Kind} objects at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, string kind, int count, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch of {Kind} expired at resourceVersion {ResourceVersion}; listing again")]
    private static partial void LogExpired(ILogger logger, string kind, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster does not serve {Kind}; showing none")]
    private static partial void LogNotServed(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching {Kind} failed; retrying in {Seconds}s: {Reason}")]
    private static partial void LogRetry(ILogger logger, string kind, double seconds, string reason);
}
