Console.WriteLine("bench-scaling: not built yet");
