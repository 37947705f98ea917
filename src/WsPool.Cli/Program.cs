Console.WriteLine("wspool");
