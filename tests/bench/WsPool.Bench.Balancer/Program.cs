Console.WriteLine("bench-balancer: not built yet");
