using ScalableApi.Users;

return await PlatformService.RunAsync<UsersService>(args);
