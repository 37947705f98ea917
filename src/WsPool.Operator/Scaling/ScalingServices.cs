using Microsoft.Extensions.DependencyInjection;

namespace WsPool.Operator.Scaling;

/// <summary>Registers the autoscaler's pieces: one HttpClient for scraping and shedding, the scrapers, the scaler.</summary>
public static class ScalingServices
{
    public static IServiceCollection AddPoolScaling(this IServiceCollection services, ScraperOptions? options = null)
    {
        options ??= new ScraperOptions();
        services.AddSingleton(options);
        // One client for every pod: pooled connections, a connect timeout no longer than a request may take.
        services.AddSingleton(_ => new ScalingHttpClient(new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            UseProxy = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each call sets its own
        }));
        services.AddSingleton(sp => new PodMetricsScraper(sp.GetRequiredService<ScalingHttpClient>().Client, options));
        services.AddSingleton(sp => new BalancerSessionsScraper(sp.GetRequiredService<ScalingHttpClient>().Client, options));
        services.AddSingleton(sp => new ShedClient(sp.GetRequiredService<ScalingHttpClient>().Client, options));
        services.AddSingleton<PoolScaler>();
        return services;
    }
}

/// <summary>The HttpClient the scaler's pieces share, wrapped so it does not collide with other HttpClient registrations.</summary>
public sealed record ScalingHttpClient(HttpClient Client);
