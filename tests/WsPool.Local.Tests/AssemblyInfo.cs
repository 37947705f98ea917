// The node tests start real servers (chat servers, HAProxy, NGINX) on shared loopback addresses and ports, on a
// 2-core machine: one at a time keeps them from competing for both.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
