using ScalableApi.Content;

return await PlatformService.RunAsync<ContentService>(args);
