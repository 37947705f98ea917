using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("WsPool.Core.Tests")]
