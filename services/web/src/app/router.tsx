import { Spin } from 'antd';
import { createBrowserRouter, Navigate } from 'react-router';
import { Layout } from './layout';

// Each page is its own chunk: the first load carries the shell, the login page and nothing else.
export const router = createBrowserRouter([
  { path: '/login', lazy: () => import('./login-page').then((m) => ({ Component: m.LoginPage })) },
  {
    path: '/',
    element: <Layout />,
    hydrateFallbackElement: <Spin style={{ display: 'block', margin: '20vh auto' }} />,
    children: [
      { index: true, element: <Navigate to="/inbox" replace /> },
      {
        path: 'inbox',
        lazy: () => import('../features/inbox/inbox-page').then((m) => ({ Component: m.InboxPage })),
      },
      {
        path: 'tasks/:id',
        lazy: () => import('../features/inbox/task-page').then((m) => ({ Component: m.TaskPage })),
      },
      {
        path: 'products',
        lazy: () => import('../features/products/products-page').then((m) => ({ Component: m.ProductsPage })),
      },
      {
        path: 'products/:id',
        lazy: () => import('../features/products/product-page').then((m) => ({ Component: m.ProductPage })),
      },
      {
        path: 'board',
        lazy: () => import('../features/products/board-page').then((m) => ({ Component: m.BoardPage })),
      },
      {
        path: 'tower',
        lazy: () => import('../features/products/tower-page').then((m) => ({ Component: m.TowerPage })),
      },
      {
        path: 'launch',
        lazy: () => import('../features/launch/launch-page').then((m) => ({ Component: m.LaunchPage })),
      },
      {
        path: 'reviews',
        lazy: () => import('../features/reviews/reviews-page').then((m) => ({ Component: m.ReviewsPage })),
      },
      {
        path: 'reviews/:id',
        lazy: () => import('../features/reviews/review-page').then((m) => ({ Component: m.ReviewPage })),
      },
      {
        path: 'imports',
        lazy: () => import('../features/imports/imports-page').then((m) => ({ Component: m.ImportsPage })),
      },
      {
        path: 'admin',
        lazy: () => import('../features/admin/admin-page').then((m) => ({ Component: m.AdminPage })),
      },
      { path: '*', lazy: () => import('../components/page-state').then((m) => ({ Component: m.NotFound })) },
    ],
  },
]);
