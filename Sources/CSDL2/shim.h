#define SDL_MAIN_HANDLED 1
#include <SDL.h>
#include <SDL_ttf.h>

static const int PADDOCK_SDL_WINDOWPOS_CENTERED = SDL_WINDOWPOS_CENTERED;
